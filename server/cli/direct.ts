import type { AppConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { migrate } from '../db/migrator.ts';
import { createLogger } from '../logger.ts';
import { runAdminCommand, type AdminCommand, type AdminResult } from '../modules/access/admin-commands.ts';

/** The file in the data folder holding the secret the server's local admin route asks for. */
export const LOCAL_ADMIN_SECRET_FILE = 'local-admin-token';

/** Runs a command on the database itself (migrated first, as the server would). */
export async function runOnDatabase(config: AppConfig, cmd: AdminCommand): Promise<AdminResult> {
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { db, close } = await openDatabase(config.database, log);
  try {
    await migrate(db, log);
    return await runAdminCommand(db, cmd);
  } finally {
    await close();
  }
}
