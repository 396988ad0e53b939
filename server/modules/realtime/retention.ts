import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { pruneOlderThan } from '../../db/tables/change-feed.ts';
import { inBatches, Periodic } from '../../lib/periodic.ts';

const PRUNE_EVERY_MS = 10 * 60_000;
const BATCH = 1000;
// One replica prunes at a time; the others find the lock taken and skip that round.
const RETENTION_LOCK = 727362;

/**
 * Keeps the change feed to HATCH_CHANGE_RETENTION: older rows are deleted in small batches (each
 * its own short statement, so writers never wait behind one long delete), and the position pruned
 * through is recorded, so resuming from before it is CURSOR_EXPIRED rather than silently partial.
 */
export class FeedRetention extends Periodic<number> {
  constructor(
    private readonly db: Database,
    private readonly retentionMs: number,
    private readonly log: Logger,
  ) {
    super(PRUNE_EVERY_MS);
  }

  /** Deletes what is past retention; returns how many rows went. */
  prune(): Promise<number> {
    return this.run();
  }

  protected round(): Promise<number> {
    return this.pruneAll();
  }

  protected failed(err: unknown): number {
    this.log.warn({ err }, 'pruning the change feed failed; will try again');
    return 0;
  }

  private async pruneAll(): Promise<number> {
    return this.db.withConnection(async (conn) => {
      const [lock] = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [RETENTION_LOCK]);
      if (!lock?.ok) return 0;
      try {
        const cutoff = new Date(Date.now() - this.retentionMs);
        let total = 0;
        for (const table of ['message_changes', 'conversation_changes', 'contact_changes'] as const) {
          total += await inBatches(BATCH, () => pruneOlderThan(conn, table, cutoff, BATCH));
        }
        if (total) this.log.info({ rows: total, olderThan: cutoff.toISOString() }, 'pruned the change feed');
        return total;
      } finally {
        await conn.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      }
    });
  }
}
