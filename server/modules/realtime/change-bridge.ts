import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import type { Message } from '../../generated/prisma/client.ts';
import { MESSAGE_CHANGES_CHANNEL, messageChangeNotification } from './channel.ts';
import type { HatchPubSub, MessageUpdateEvent } from './pubsub.ts';

const BATCH = 500;

interface ChangeRow {
  seq: string;
  action: MessageUpdateEvent['action'];
  message_id: string;
  conversation_id: string;
  occurred_at: string | Date;
  row: Record<string, unknown>;
}

/**
 * The process's one LISTEN on the change feed. A notification only says "up to sequence N has
 * happened"; the bridge then reads every change after the last one it published, in one query,
 * and publishes each to Yoga's pubsub. So each change is read once per process however many
 * subscribers there are, and a burst of notifications becomes a few range reads.
 *
 * Sequence numbers are handed out in commit order (see sql/change_feed.sql), so reading by
 * range never skips a change that commits later.
 */
export class ChangeBridge {
  private lastSeq = 0n;
  private wantedSeq = 0n;
  private draining: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private catchUp: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly pubsub: HatchPubSub,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.lastSeq = this.wantedSeq = await this.newestSeq();
    this.unlisten = await this.db.listen(
      MESSAGE_CHANGES_CHANNEL,
      (payload) => this.onNotification(payload),
      () => void this.checkForMissed(),
    );
    // Changes whose notification was lost (the LISTEN connection was down) are caught up on
    // reconnecting, and by this check should that be missed too.
    this.catchUp = setInterval(() => void this.checkForMissed(), 5000);
    this.catchUp.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.catchUp);
    await this.unlisten?.();
    await this.draining;
  }

  /** The newest sequence number published so far. */
  get position(): bigint {
    return this.lastSeq;
  }

  private onNotification(payload: string): void {
    let seq: bigint;
    try {
      seq = BigInt(messageChangeNotification.parse(JSON.parse(payload)).seq);
    } catch (err) {
      this.log.error({ err, payload }, 'unreadable change notification');
      return;
    }
    this.want(seq);
  }

  private async checkForMissed(): Promise<void> {
    try {
      this.want(await this.newestSeq());
    } catch (err) {
      this.log.warn({ err }, 'change feed catch-up check failed');
    }
  }

  private async newestSeq(): Promise<bigint> {
    const [row] = await this.db.query<{ max: string }>('SELECT COALESCE(MAX("seq"), 0)::text AS max FROM "message_changes"');
    return BigInt(row!.max);
  }

  private want(seq: bigint): void {
    if (seq > this.wantedSeq) this.wantedSeq = seq;
    this.draining ??= this.drain().then((ok) => {
      this.draining = undefined;
      // A notification that came while the pass was finishing is not left for the catch-up timer.
      // (After a failed read it is: retrying at once would spin while the database is away.)
      if (ok && this.lastSeq < this.wantedSeq) this.want(this.wantedSeq);
    });
  }

  /** Publishes every change up to `wantedSeq`; false when reading the feed failed. */
  private async drain(): Promise<boolean> {
    while (this.lastSeq < this.wantedSeq) {
      let rows: ChangeRow[];
      try {
        rows = await this.db.query<ChangeRow>(
          `SELECT "seq"::text AS seq, "action", "message_id", "conversation_id", "occurred_at", "row"
             FROM "message_changes" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "seq" LIMIT ${BATCH}`,
          [this.lastSeq.toString(), this.wantedSeq.toString()],
        );
      } catch (err) {
        this.log.error({ err }, 'reading the change feed failed; will retry on the next notification');
        return false;
      }
      if (rows.length === 0) {
        this.lastSeq = this.wantedSeq; // sequence numbers of rolled-back writes leave gaps
        return true;
      }
      for (const r of rows) {
        this.pubsub.publish('messageUpdated', {
          cursor: r.seq,
          action: r.action,
          conversationId: r.conversation_id,
          messageId: r.message_id,
          occurredAt: new Date(r.occurred_at),
          message: r.action === 'DELETE' ? null : messageFromRow(r.row),
        });
        this.lastSeq = BigInt(r.seq);
      }
    }
    return true;
  }
}

/** The trigger stores `to_jsonb(row)`: snake_case columns, timestamps as ISO strings. */
export function messageFromRow(row: Record<string, unknown>): Message {
  const str = (k: string) => row[k] as string;
  const opt = (k: string) => (row[k] ?? null) as string | null;
  return {
    id: str('id'),
    conversationId: str('conversation_id'),
    from: str('from'),
    to: str('to'),
    body: str('body'),
    direction: str('direction') as Message['direction'],
    channel: str('channel') as Message['channel'],
    status: str('status') as Message['status'],
    providerSid: opt('provider_sid'),
    errorCode: opt('error_code'),
    errorMessage: opt('error_message'),
    idempotencyKey: opt('idempotency_key'),
    createdAt: new Date(str('created_at')),
    updatedAt: new Date(str('updated_at')),
  };
}
