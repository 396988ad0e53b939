import type { Hono } from 'hono';
import type { HatchEnv } from './context.ts';
import type { Database } from '../db/database.ts';
import { pendingMigrations } from '../db/migrator.ts';

/**
 * `/health`: the process is up. `/ready`: it can do its work: the database answers, every
 * migration is applied, and the LISTEN behind live updates is up (503 until all three hold).
 * Anonymous callers (load balancers) learn ready or not; signed-in ones see each check.
 */
export function mountProbes(app: Hono<HatchEnv>, db: Database, smsSender: string, draining: () => boolean): void {
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    if (draining()) return c.json({ status: 'shutting down' }, 503);
    const checks = await readiness(db);
    const ready = Object.values(checks).every(Boolean);
    const status = ready ? 'ready' : 'not ready';
    return c.json(c.get('principal') ? { status, checks, sms: smsSender } : { status }, ready ? 200 : 503);
  });
}

async function readiness(db: Database): Promise<Record<string, boolean>> {
  const checks: Record<string, boolean> = {};
  try {
    await db.query('SELECT 1');
    checks.database = true;
    checks.migrations = (await pendingMigrations(db)).length === 0;
  } catch {
    checks.database = false;
    checks.migrations = false;
  }
  checks.listener = db.listenerAlive();
  return checks;
}
