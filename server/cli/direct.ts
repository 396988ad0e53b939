import path from 'node:path';
import { claimDataDir } from '../db/data-dir-lock.ts';
import { openDatabase } from '../db/index.ts';
import { migrate } from '../db/migrator.ts';
import type { Env } from '../env.ts';
import { createLogger } from '../logger.ts';
import { runAdminCommand, type AdminCommand, type AdminResult } from '../modules/access/admin-commands.ts';

/** The file in the data folder holding the secret the server's local admin route asks for. */
export const LOCAL_ADMIN_SECRET_FILE = 'local-admin-token';

/** Runs a command on the database itself (migrated first, as the server would). */
export async function runOnDatabase(env: Env, cmd: AdminCommand): Promise<AdminResult> {
  const log = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const lock = env.DATABASE_URL ? undefined : claimDataDir(path.resolve(env.HATCH_DATA_DIR));
  try {
    const db = await openDatabase(env, log);
    try {
      await migrate(db, log);
      return await runAdminCommand(db, cmd);
    } finally {
      await db.close();
    }
  } finally {
    lock?.release();
  }
}
