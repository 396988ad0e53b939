import type { Hono } from 'hono';
import type { Database } from '../db/database.ts';
import { adminCommand, runAdminCommand } from '../modules/access/admin-commands.ts';
import { LOCAL_ADMIN_HEADER, LOCAL_ADMIN_PATH } from '../modules/access/local-admin.ts';
import { equalSecrets } from '../modules/access/secrets.ts';
import type { HatchEnv } from './context.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * The operator and token commands, for when this server holds the embedded database (which one
 * process at a time may open). Only from this machine, and only with the secret kept in the data
 * folder (mode 600): whoever can read it could open the database files anyway.
 */
export function mountLocalAdmin(app: Hono<HatchEnv>, db: Database, secret: string): void {
  app.post(LOCAL_ADMIN_PATH, async (c) => {
    const remote = c.env?.incoming?.socket?.remoteAddress ?? '';
    const given = c.req.header(LOCAL_ADMIN_HEADER) ?? '';
    if (!LOOPBACK.test(remote) || !equalSecrets(given, secret)) return c.json({ error: 'Not allowed.' }, 403);
    const cmd = adminCommand.safeParse(await c.req.json().catch(() => undefined));
    if (!cmd.success) return c.json({ error: 'Not a command.' }, 400);
    return c.json(await runAdminCommand(db, cmd.data));
  });
}
