import type { AppConfig } from '../config.ts';
import { openSqlDatabase } from '../db/index.ts';
import { migrate } from '../db/migrator.ts';
import { createCommandLog } from '../logger.ts';
import { runAdminCommand, type AdminCommand, type AdminResult } from '../modules/access/admin-commands.ts';

/** Runs a command on the database itself (migrated first, as the server would). */
export async function runOnDatabase(config: AppConfig, cmd: AdminCommand): Promise<AdminResult> {
  const log = createCommandLog(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { db, close } = await openSqlDatabase(config.database, log);
  try {
    await migrate(db, log);
    return await runAdminCommand(db, cmd);
  } finally {
    await close();
  }
}
