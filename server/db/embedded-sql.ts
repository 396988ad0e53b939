import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { commitHooks, type SqlDatabase } from './database.ts';

/**
 * V8 compiles Postgres' WebAssembly twice: at once with its baseline compiler (Liftoff), then its
 * busy functions again, optimised (TurboFan), keeping both copies. For the embedded database the
 * second copy costs about 50 MB resident and bought no speed: 3,000 inserts and 1,000 reads took
 * 2.1–3.3 s with Liftoff alone against 3.6–4.7 s with both (the optimising compiles compete for the
 * same cores). The flag must be set before the module is compiled; only PGlite's WebAssembly runs
 * in this process, so nothing else is affected.
 */
function useBaselineWasmCompiler(): void {
  v8.setFlagsFromString('--liftoff-only');
}

/**
 * The embedded database (PGlite): one connection in this process, persisted to `dataDir`, or kept
 * in memory when `dataDir` is undefined (tests). LISTEN goes through `db.listen` on the same
 * instance, since PGlite has no second connection to listen on. The PGlite instance is returned
 * too, for Prisma's adapter (./embedded.ts).
 */
export async function createEmbeddedSql(dataDir: string | undefined): Promise<{ db: SqlDatabase; pglite: PGlite }> {
  if (dataDir) {
    process.umask(0o077);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }
  // Postgres' default 128 MB of shared buffers live inside the WebAssembly heap, where they are
  // resident for good; one connection on one machine's inbox needs far fewer, and the files are
  // in the operating system's page cache anyway. Measured by `npm run bench` (idle RSS). The very
  // first start, which creates the folder (initdb), still grows the heap for good (about 500 MB
  // more until the next start); closing that instance and opening another did not give it back.
  useBaselineWasmCompiler();
  const db = await PGlite.create(dataDir, { postgresqlconf: ['shared_buffers=16MB', 'wal_buffers=512kB'] });
  if (dataDir) keepPrivate(dataDir);
  let closed = false;

  const conn = {
    exec: async (sql: string) => void (await db.exec(sql)),
    query: async <T,>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
  };
  const committed = commitHooks();

  const database: SqlDatabase = {
    async exec(sql) {
      await conn.exec(sql);
      await committed.after(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const rows = await conn.query<T>(sql, params);
      await committed.after(sql);
      return rows;
    },
    // There is only one connection: everything already runs on it, in order.
    withConnection: (fn) => fn(conn),
    // PGlite's own transaction holds its lock, so queries from elsewhere (Prisma) wait rather than
    // interleave with ours on the one connection.
    async transaction(fn) {
      let wrote = false;
      const result = await db.transaction((tx) =>
        fn({
          exec: async (sql) => void ((wrote ||= committed.writes(sql)), await tx.exec(sql)),
          query: async <T,>(sql: string, params: unknown[] = []) => ((wrote ||= committed.writes(sql)), (await tx.query<T>(sql, params)).rows),
        }),
      );
      if (wrote) await committed.run();
      return result;
    },
    afterCommit: (hook) => committed.add(hook),
    async listen(channel, handler) {
      const unlisten = await db.listen(channel, handler);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    listenerAlive: () => !closed && !db.closed,
    async close() {
      closed = true;
      await db.close();
    },
  };
  return { db: database, pglite: db };
}

/**
 * Messages are personal data: the data folder is its owner's alone (0700, files 0600). Files
 * Postgres creates as it runs get its mode less the umask, so the process's umask is narrowed to
 * 077 before opening (everything else the server writes is private too); the initial database
 * PGlite unpacks is chmod-ed to 0666 explicitly, whatever the umask, so it is narrowed here once
 * it is open, as are files left by an earlier start.
 */
function keepPrivate(dir: string): void {
  const walk = (d: string) => {
    chmodSync(d, 0o700);
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) chmodSync(full, 0o600);
    }
  };
  walk(dir);
}
