// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits.
import { loadConfig } from '../config.ts';
import { openSqlDatabase } from '../db/index.ts';
import { migrate } from '../db/migrator.ts';
import { createLogger } from '../logger.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const { db, close } = await openSqlDatabase(config.database, log);
try {
  const applied = await migrate(db, log);
  log.info({ applied }, applied.length ? 'migrations applied' : 'database already up to date');
} finally {
  await close();
}
