import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Log } from '../logger.ts';
import type { SqlDatabase } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

// Prisma's migrate engine is a native binary that cannot be installed everywhere Hatch runs, so the
// server applies Prisma's migration folders itself and records them in the same table, with the
// same checksum (sha256 of migration.sql), so `prisma migrate status/deploy` agree where they run.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Held while migrating so that replicas starting together apply each migration once.
const MIGRATION_LOCK = 727360;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}/migration.sql`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export class MigrationError extends Error {}

/**
 * A database that already holds tables but was never Hatch's (no migrations table) is another
 * application's, most often the Flask service's when an old .env's POSTGRES_DB was kept. Nothing
 * is written to it: Hatch stops and says what to do instead.
 */
async function refuseForeignDatabase(conn: Pick<SqlDatabase, 'query'>): Promise<void> {
  const tables = await conn.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
  );
  const names = tables.map((t) => t.name);
  if (names.length === 0 || names.includes('_prisma_migrations')) return;
  const flask = names.includes('messages') ? " It looks like the Flask service's database" : '';
  throw new MigrationError(
    `This database already holds tables of another application (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) and nothing was written to it.${flask}: ` +
      'give Hatch a new, empty database (POSTGRES_DB or DATABASE_URL), then copy the old messages with `npm run import:legacy -- --from <old database URL>`.',
  );
}

/** Applies every migration not yet applied, each in its own transaction. Returns the names applied. */
export async function migrate(db: SqlDatabase, log: Log, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  // The session-level lock needs one connection; each migration is its own transaction beside it.
  return db.withConnection(async (conn) => {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await refuseForeignDatabase(conn);
      await conn.exec(CREATE_MIGRATIONS_TABLE);
      const rows = await conn.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
      );
      const applied = new Map(rows.map((r) => [r.migration_name, r]));
      const done: string[] = [];
      for (const m of migrations) {
        const row = applied.get(m.name);
        if (row?.finished_at) {
          if (row.checksum !== m.checksum) {
            log.warn({ migration: m.name }, 'migration file changed after it was applied');
          }
          continue;
        }
        if (row) {
          throw new MigrationError(
            `Migration ${m.name} started earlier but did not finish; inspect the database, then mark it rolled back.`,
          );
        }
        const id = randomUUID();
        try {
          await db.transaction(async (tx) => {
            await tx.exec(m.sql);
            await tx.query(
              `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
               VALUES ($1, $2, $3, now(), 1)`,
              [id, m.checksum, m.name],
            );
          });
        } catch (err) {
          throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
        log.info({ migration: m.name }, 'applied migration');
        done.push(m.name);
      }
      return done;
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

/** Names of migrations present in the folder but not applied to the database. */
export async function pendingMigrations(db: Pick<SqlDatabase, 'query'>, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  const rows = await db
    .query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
    .catch(() => []);
  const applied = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}
