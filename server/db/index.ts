import path from 'node:path';
import type { Logger } from 'pino';
import type { Env } from '../env.ts';
import type { Database } from './database.ts';
import { createPostgresDatabase } from './postgres.ts';

export type { Database } from './database.ts';

export async function openDatabase(env: Pick<Env, 'DATABASE_URL' | 'HATCH_DATA_DIR'>, log: Logger): Promise<Database> {
  if (env.DATABASE_URL) {
    log.info({ database: redact(env.DATABASE_URL) }, 'using Postgres');
    return createPostgresDatabase(env.DATABASE_URL, log);
  }
  const dir = path.resolve(env.HATCH_DATA_DIR);
  log.info({ dataDir: dir }, 'using the embedded database (set DATABASE_URL to use a Postgres server)');
  // Loaded only when used: a server on Postgres does not carry PGlite's code (about 6 MB resident).
  const { createEmbeddedDatabase } = await import('./embedded.ts');
  return createEmbeddedDatabase(dir);
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
