import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import type { Metrics } from '../../metrics.ts';
import { FEED_CHANNELS } from './channel.ts';
import { conversationChangesBetween, FEED_BATCH, messageChangesBetween, newestPosition } from '../../db/tables/change-feed.ts';
import type { HatchPubSub } from './pubsub.ts';

const CATCH_UP_MS = 5000;
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

  private readonly observe: { lag?: (seconds: number) => void; reconnected?: () => void } = {};

  constructor(
    private readonly db: Database,
    private readonly pubsub: HatchPubSub,
    private readonly log: Logger,
  ) {}

  /** The feed's own metrics: commit-to-publish lag, the LISTEN connection, and who listens. */
  registerMetrics(metrics: Metrics): void {
    const lag = metrics.histogram('hatch_feed_lag_seconds', "From a change committing in the database to its publication to this process's subscriptions.", [
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
    const reconnects = metrics.counter('hatch_listen_reconnects_total', 'Times the LISTEN connection was lost and restored.');
    this.observe.lag = (seconds) => lag.observe(seconds);
    this.observe.reconnected = () => reconnects.inc();
    metrics.gauge('hatch_listen_up', '1 while the LISTEN connection behind live updates is up.', () => (this.db.listenerAlive() ? 1 : 0));
    metrics.gauge('hatch_feed_listeners', 'Listeners on the live change feed in this process (one per execution; a leak shows here).', () => this.pubsub.listeners());
  }

  async start(): Promise<void> {
    this.lastSeq = this.wantedSeq = await newestPosition(this.db);
    for (const [i, { channel, payload }] of FEED_CHANNELS.entries()) {
      const stop = await this.db.listen(
        channel,
        (text) => {
          const parsed = payload.safeParse(safeJson(text));
          if (parsed.success) this.want(BigInt(parsed.data.seq));
          else this.log.error({ channel, payload: text }, 'unreadable change notification');
        },
        // Both channels share one connection: one catch-up (and one count) per reconnect.
        i === 0
          ? () => {
              this.observe.reconnected?.();
              void this.checkForMissed();
            }
          : undefined,
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
      this.want(await newestPosition(this.db));
    } catch (err) {
      this.log.warn({ err }, 'change feed catch-up check failed');
    }
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
    const messages = await messageChangesBetween(this.db, this.lastSeq, upper);
    // A full batch may have more behind it: publish only up to where both tables are complete.
    if (messages.length === FEED_BATCH) upper = BigInt(messages.at(-1)!.cursor);
    const conversations = await conversationChangesBetween(this.db, this.lastSeq, upper);
    if (conversations.length === FEED_BATCH) upper = BigInt(conversations.at(-1)!.cursor);

    const changes = [
      ...messages.map((e) => ({ seq: BigInt(e.cursor), publish: () => this.pubsub.publish('messageUpdated', e) })),
      ...conversations.map((e) => ({ seq: BigInt(e.cursor), publish: () => this.pubsub.publish('conversationUpdated', e) })),
    ]
      .filter((c) => c.seq <= upper)
      .sort((a, b) => (a.seq < b.seq ? -1 : 1));
    for (const c of changes) c.publish();
    const newest = messages.at(-1)?.occurredAt;
    if (newest && this.observe.lag) this.observe.lag(Math.max(0, (Date.now() - newest.getTime()) / 1000));
    // Sequence numbers of rolled-back writes leave gaps; the range is complete up to `upper`.
    this.lastSeq = upper;
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
