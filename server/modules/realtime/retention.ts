import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';

const PRUNE_EVERY_MS = 10 * 60_000;
const BATCH = 1000;
// One replica prunes at a time; the others find the lock taken and skip that round.
const RETENTION_LOCK = 727362;

/**
 * Keeps the change feed to HATCH_CHANGE_RETENTION: older rows are deleted in small batches (each
 * its own short statement, so writers never wait behind one long delete), and the position pruned
 * through is recorded, so resuming from before it is CURSOR_EXPIRED rather than silently partial.
 */
export class FeedRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly retentionMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
    void this.prune();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what is past retention; returns how many rows went. */
  prune(): Promise<number> {
    this.running ??= this.pruneAll()
      .catch((err) => {
        this.log.warn({ err }, 'pruning the change feed failed; will try again');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async pruneAll(): Promise<number> {
    return this.db.withConnection(async (conn) => {
      const [lock] = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [RETENTION_LOCK]);
      if (!lock?.ok) return 0;
      try {
        const cutoff = new Date(Date.now() - this.retentionMs);
        let total = 0;
        for (const table of ['message_changes', 'conversation_changes']) {
          for (;;) {
            const [row] = await conn.query<{ n: number; max: string | null }>(
              `WITH gone AS (
                 DELETE FROM "${table}" WHERE "seq" IN (
                   SELECT "seq" FROM "${table}" WHERE "occurred_at" < $1 ORDER BY "seq" LIMIT ${BATCH})
                 RETURNING "seq")
               SELECT count(*)::int AS n, MAX("seq")::text AS max FROM gone`,
              [cutoff],
            );
            if (!row || row.n === 0) break;
            total += row.n;
            await conn.query(
              `UPDATE "feed_retention" SET "pruned_through" = GREATEST("pruned_through", $1::bigint), "pruned_at" = now() WHERE "id" = 1`,
              [row.max],
            );
            if (row.n < BATCH) break;
          }
        }
        if (total) this.log.info({ rows: total, olderThan: cutoff.toISOString() }, 'pruned the change feed');
        return total;
      } finally {
        await conn.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      }
    });
  }
}

/** `7d`, `12h`, `30m`, `45s` → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
