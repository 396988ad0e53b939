// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits.
import { loadDotEnv, parseEnv } from '../env.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../db/index.ts';
import { migrate } from '../db/migrator.ts';

loadDotEnv();
const env = parseEnv();
const log = createLogger(env.LOG_LEVEL);
const db = await openDatabase(env, log);
try {
  const applied = await migrate(db, log);
  log.info({ applied }, applied.length ? 'migrations applied' : 'database already up to date');
} finally {
  await db.close();
}
