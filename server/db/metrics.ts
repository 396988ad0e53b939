import type { Metrics } from '../metrics.ts';
import type { Database } from './database.ts';

/** The database's own gauges: Postgres's NOTIFY queue and this replica's pool. */
export function registerDatabaseMetrics(db: Database, metrics: Metrics): void {
  metrics.gauge(
    'hatch_pg_notification_queue_usage',
    "Fraction of Postgres's NOTIFY queue in use (at 1 the database refuses commits that notify).",
    async () => (await db.query<{ usage: number }>('SELECT pg_notification_queue_usage()::float AS usage'))[0]!.usage,
  );
  for (const part of ['total', 'idle', 'waiting'] as const) {
    metrics.gauge(`hatch_pg_pool_${part}`, `Postgres pool connections (${part}; 0 on the embedded database).`, () => db.poolStats?.()[part] ?? 0);
  }
}
