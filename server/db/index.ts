import path from 'node:path';
import type { Log, Logger } from '../logger.ts';
import type { DatabaseSettings } from '../config.ts';
import { claimDataDir, dataDirHolder, type DataDirHolder } from './data-dir-lock.ts';
import type { Database, SqlDatabase } from './database.ts';

export type { Database, SqlDatabase } from './database.ts';

export interface OpenedDatabase<D extends SqlDatabase = Database> {
  db: D;
  /**
   * With the embedded database: its folder, which this process now holds (one process at a time
   * may open it). `update` tells commands where the server serves; `release` gives the folder back
   * (after the database is closed).
   */
  folder?: { dir: string; update(holder: Omit<DataDirHolder, 'pid'>): void; release(): void };
  /** Closes the database, then gives its folder back. */
  close(): Promise<void>;
}

/**
 * The one place the database is opened, for the server and every command alike: a Postgres server
 * (`url`), or the embedded database in `dataDir`, claimed first so that no second process opens it.
 * Each driver is loaded only when used: a server on Postgres does not carry PGlite's code (about
 * 6 MB resident), and a command that opens neither loads neither.
 */
export function openDatabase(settings: DatabaseSettings, log: Logger): Promise<OpenedDatabase<Database>> {
  return open(settings, log, {
    postgres: async (url) => (await import('./postgres.ts')).createPostgresDatabase(url, log),
    embedded: async (dir) => (await import('./embedded.ts')).createEmbeddedDatabase(dir),
  });
}

/** The same database without Prisma's client, for commands that need plain SQL only (it loads in a fraction of the time). */
export function openSqlDatabase(settings: DatabaseSettings, log: Log): Promise<OpenedDatabase<SqlDatabase>> {
  return open(settings, log, {
    postgres: async (url) => (await import('./postgres-sql.ts')).createPostgresSql(url, log).db,
    embedded: async (dir) => (await (await import('./embedded-sql.ts')).createEmbeddedSql(dir)).db,
  });
}

async function open<D extends SqlDatabase>(
  settings: DatabaseSettings,
  log: Log,
  drivers: { postgres(url: string): Promise<D>; embedded(dir: string): Promise<D> },
): Promise<OpenedDatabase<D>> {
  if (settings.url) {
    log.info({ database: redact(settings.url) }, 'using Postgres');
    const db = await drivers.postgres(settings.url);
    return { db, close: () => db.close() };
  }
  const dir = path.resolve(settings.dataDir);
  const lock = claimDataDir(dir);
  try {
    log.info({ dataDir: dir }, 'using the embedded database (set DATABASE_URL to use a Postgres server)');
    const db = await drivers.embedded(dir);
    return {
      db,
      folder: { dir, update: lock.update, release: lock.release },
      async close() {
        try {
          await db.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** The server holding the embedded database in `settings.dataDir`, when one does (commands then go through it). */
export function runningServer(settings: DatabaseSettings): DataDirHolder | undefined {
  return settings.url ? undefined : dataDirHolder(path.resolve(settings.dataDir));
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
