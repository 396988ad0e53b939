import path from 'node:path';
import type { Logger } from 'pino';
import type { DatabaseSettings } from '../config.ts';
import { claimDataDir, dataDirHolder, type DataDirHolder } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { createPostgresDatabase } from './postgres.ts';

export type { Database } from './database.ts';

export interface OpenedDatabase {
  db: Database;
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
 */
export async function openDatabase(settings: DatabaseSettings, log: Logger): Promise<OpenedDatabase> {
  if (settings.url) {
    log.info({ database: redact(settings.url) }, 'using Postgres');
    const db = await createPostgresDatabase(settings.url, log);
    return { db, close: () => db.close() };
  }
  const dir = path.resolve(settings.dataDir);
  const lock = claimDataDir(dir);
  try {
    log.info({ dataDir: dir }, 'using the embedded database (set DATABASE_URL to use a Postgres server)');
    // Loaded only when used: a server on Postgres does not carry PGlite's code (about 6 MB resident).
    const { createEmbeddedDatabase } = await import('./embedded.ts');
    const db = await createEmbeddedDatabase(dir);
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
