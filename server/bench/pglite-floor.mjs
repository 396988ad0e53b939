// PGlite alone, opened on a data folder with the settings Hatch uses (server/db/embedded.ts), one
// query run: the floor under Hatch's memory on the embedded database. Prints the RSS in bytes.
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';

// As server/db/embedded-sql.ts compiles it: Liftoff only.
v8.setFlagsFromString('--liftoff-only');

const db = await PGlite.create(process.argv[2], { postgresqlconf: ['shared_buffers=16MB', 'wal_buffers=512kB'] });
await db.query('SELECT count(*) FROM messages');
await new Promise((r) => setTimeout(r, 2000));
console.log(process.memoryUsage().rss);
await db.close();
