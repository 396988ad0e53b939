// `npm run schema:check [-- DIR]`: fails (exit 1) when DIR's schema.graphql breaks the released
// schema without CHANGELOG.md recording it (DIR defaults to this checkout). See breaking-changes.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { explain, RELEASED_SCHEMA_FILE, unrecordedBreakingChanges } from './breaking-changes.ts';

const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../..'));
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
try {
  const unrecorded = await unrecordedBreakingChanges(read(RELEASED_SCHEMA_FILE), read('schema.graphql'), read('CHANGELOG.md'));
  if (unrecorded.length) {
    console.error(explain(unrecorded, `the released schema (${RELEASED_SCHEMA_FILE})`));
    process.exit(1);
  }
  console.log('schema.graphql breaks nothing the changelog does not record.');
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
