import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { conversationFromRow } from '../conversations/conversation-row.ts';
import { messageFromRow } from '../messages/message-row.ts';
import { FEED_CHANNELS } from './channel.ts';
import type { HatchPubSub, MessageUpdateEvent } from './pubsub.ts';

const BATCH = 500;
const CATCH_UP_MS = 5000;

interface MessageChangeRow {
  seq: string;
  action: MessageUpdateEvent['action'];
  message_id: string;
  conversation_id: string;
  occurred_at: string | Date;
  row: Record<string, unknown>;
}

interface ConversationChangeRow {
  seq: string;
  row: Record<string, unknown>;
}

/**
 * The process's one LISTEN on the change feed (messages and conversations alike). A notification
 * only says "the feed has reached sequence N"; the bridge then reads every change after the last
 * one it published, one range query per table, and publishes them in sequence order to Yoga's
 * pubsub. So each change is read once per process however many subscribers there are, a burst of
 * notifications becomes a few range reads, and notifications lost while the LISTEN connection was
 * down are caught up from the tables as soon as it is back (or by a periodic check).
 *
 * Sequence numbers are handed out in commit order (see sql/change_feed.sql), so reading by range
 * never skips a change that commits later.
 */
export class FeedBridge {
  private lastSeq = 0n;
  private wantedSeq = 0n;
  private draining: Promise<void> | undefined;
  private unlisten: (() => Promise<void>)[] = [];
  private catchUp: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly pubsub: HatchPubSub,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.lastSeq = this.wantedSeq = await this.newestSeq();
    for (const { channel, payload } of FEED_CHANNELS) {
      const stop = await this.db.listen(
        channel,
        (text) => {
          const parsed = payload.safeParse(safeJson(text));
          if (parsed.success) this.want(BigInt(parsed.data.seq));
          else this.log.error({ channel, payload: text }, 'unreadable change notification');
        },
        () => void this.checkForMissed(),
      );
      this.unlisten.push(stop);
    }
    this.catchUp = setInterval(() => void this.checkForMissed(), CATCH_UP_MS);
    this.catchUp.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.catchUp);
    await Promise.all(this.unlisten.map((stop) => stop()));
    await this.draining;
  }

  private async checkForMissed(): Promise<void> {
    try {
      this.want(await this.newestSeq());
    } catch (err) {
      this.log.warn({ err }, 'change feed catch-up check failed');
    }
  }

  private async newestSeq(): Promise<bigint> {
    const [row] = await this.db.query<{ max: string }>(
      `SELECT GREATEST((SELECT COALESCE(MAX("seq"), 0) FROM "message_changes"),
                       (SELECT COALESCE(MAX("seq"), 0) FROM "conversation_changes"))::text AS max`,
    );
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
      try {
        await this.publishNextBatch();
      } catch (err) {
        this.log.error({ err }, 'reading the change feed failed; will retry on the next notification');
        return false;
      }
    }
    return true;
  }

  /** Reads and publishes at most a batch from each table, in sequence order. */
  private async publishNextBatch(): Promise<void> {
    let upper = this.wantedSeq;
    const range = () => [this.lastSeq.toString(), upper.toString()];
    const messages = await this.db.query<MessageChangeRow>(
      `SELECT "seq"::text AS seq, "action", "message_id", "conversation_id", "occurred_at", "row"
         FROM "message_changes" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "seq" LIMIT ${BATCH}`,
      range(),
    );
    // A full batch may have more behind it: publish only up to where both tables are complete.
    if (messages.length === BATCH) upper = BigInt(messages.at(-1)!.seq);
    const conversations = await this.db.query<ConversationChangeRow>(
      `SELECT "seq"::text AS seq, "row" FROM "conversation_changes" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "seq" LIMIT ${BATCH}`,
      range(),
    );
    if (conversations.length === BATCH) upper = BigInt(conversations.at(-1)!.seq);

    const changes = [
      ...messages.map((r) => ({ seq: BigInt(r.seq), publish: () => this.publishMessage(r) })),
      ...conversations.map((r) => ({ seq: BigInt(r.seq), publish: () => this.publishConversation(r) })),
    ]
      .filter((c) => c.seq <= upper)
      .sort((a, b) => (a.seq < b.seq ? -1 : 1));
    for (const c of changes) c.publish();
    // Sequence numbers of rolled-back writes leave gaps; the range is complete up to `upper`.
    this.lastSeq = upper;
  }

  private publishMessage(r: MessageChangeRow): void {
    this.pubsub.publish('messageUpdated', {
      cursor: r.seq,
      action: r.action,
      conversationId: r.conversation_id,
      messageId: r.message_id,
      occurredAt: new Date(r.occurred_at),
      message: r.action === 'DELETE' ? null : messageFromRow(r.row),
    });
  }

  private publishConversation(r: ConversationChangeRow): void {
    this.pubsub.publish('conversationUpdated', { cursor: r.seq, conversation: conversationFromRow(r.row) });
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
