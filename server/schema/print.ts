// `npm run schema:print`: writes schema.graphql, the contract that web codegen and third parties read.
import { writeFileSync } from 'node:fs';
import { printSchemaFile, SCHEMA_FILE } from './print-schema.ts';

writeFileSync(SCHEMA_FILE, printSchemaFile());
console.log(`wrote ${SCHEMA_FILE}`);
