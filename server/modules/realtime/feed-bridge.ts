import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { conversationChangesBetween, FEED_BATCH, messageChangesBetween, newestPosition, numberChanges } from '../../db/tables/change-feed.ts';
import type { Metrics } from '../../metrics.ts';
import { FEED_CHANNEL, feedPosition } from './channel.ts';
import type { HatchPubSub } from './pubsub.ts';

/**
 * How often the bridge numbers what other processes left unnumbered (a tool writing with SQL, a
 * replica that crashed between its commit and its numbering) and reads the newest position, in case
 * a notification was lost. Replicas number their own writes at once and notify: this is a safety net.
 */
const CATCH_UP_MS = 1000;

/**
 * The process's one LISTEN on the change feed, and its numbering.
 *
 * Writers record changes without a position; `number()` gives committed changes theirs (see
 * sql/change_feed.sql) and the database then notifies every process of the newest position. The
 * bridge reads every change after the last one it published, one range query per table, and
 * publishes them in position order to the pubsub: each change is read once per process however
 * many subscribers there are, a burst becomes a few range reads, and what a lost LISTEN missed is
 * caught up as soon as it is back (or by a periodic check).
 *
 * This process's own writes are numbered as soon as they commit (the database calls `number` after
 * each), so when a mutation answers, its change has its position; writes from elsewhere are
 * numbered by the periodic check. Positions are given in commit order, so reading by range never
 * skips a change that commits later.
 */
export class FeedBridge {
  private lastSeq = 0n;
  private wantedSeq = 0n;
  private draining: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private unhook: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The numbering running now, and the one that runs after it for whoever asked meanwhile. */
  private numbering: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private readonly observe: { lag?: (seconds: number) => void; reconnected?: () => void } = {};
  private readonly advanced: (() => void)[] = [];

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
    this.unlisten = await this.db.listen(
      FEED_CHANNEL,
      (text) => {
        const position = feedPosition(text);
        if (position !== undefined) this.want(position);
        else this.log.error({ channel: FEED_CHANNEL, payload: text }, 'unreadable change notification');
      },
      () => {
        this.observe.reconnected?.();
        void this.checkForMissed();
      },
    );
    this.unhook = this.db.afterCommit(() => this.number());
    // Changes written while no server ran, then those written elsewhere from now on.
    await this.number();
    this.timer = setInterval(() => void this.numberIfIdle(), CATCH_UP_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unhook?.();
    await this.unlisten?.();
    await this.next;
    await this.draining;
  }

  /**
   * Numbers every change committed before this call; resolves once that is done and the bridge has
   * been told the newest position. Callers that come while a numbering runs share the next one:
   * at most one runs per process at a time, however many writes commit meanwhile.
   */
  number(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.numbering) {
      this.numbering = this.runNumbering(true).finally(() => (this.numbering = undefined));
      return this.numbering;
    }
    // One is running, and may have looked before this caller's commit: ask for the one after it.
    this.next ??= this.numbering.then(() => {
      this.next = undefined;
      return this.number();
    });
    return this.next;
  }

  private async runNumbering(wait: boolean): Promise<void> {
    try {
      const newest = await numberChanges(this.db, wait, this.wantedSeq);
      if (newest !== undefined) this.want(newest);
    } catch (err) {
      // The write itself has committed; the periodic check numbers it once the database is back.
      this.log.warn({ err }, 'numbering the change feed failed; will try again');
    }
  }

  /**
   * The periodic check: numbers what others left, and learns the newest position either way (a
   * numbering running elsewhere will notify). Skipped while this process numbers anyway.
   */
  private numberIfIdle(): Promise<void> {
    if (this.numbering || this.stopped) return Promise.resolve();
    this.numbering = this.runNumbering(false).finally(() => (this.numbering = undefined));
    return this.numbering;
  }

  /** After a lost LISTEN connection: the newest position now, and everything up to it. */
  private async checkForMissed(): Promise<void> {
    try {
      this.want(await newestPosition(this.db));
    } catch (err) {
      this.log.warn({ err }, 'change feed catch-up check failed');
    }
  }

  /** Calls `fn` whenever the feed is known to have moved (after each numbering or notification that says so). */
  onAdvance(fn: () => void): void {
    this.advanced.push(fn);
  }

  private want(seq: bigint): void {
    if (seq > this.wantedSeq) {
      this.wantedSeq = seq;
      for (const fn of this.advanced) fn();
    }
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

  /** Reads and publishes at most a batch from each table, in position order. */
  private async publishNextBatch(): Promise<void> {
    // Nobody in this process listens: nothing to read. A subscription that starts later hears what
    // comes after it, and one that resumes reads the tables itself.
    if (this.pubsub.listeners() === 0) {
      this.lastSeq = this.wantedSeq;
      return;
    }
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
    // Positions are dense, but retention may have pruned below; the range is complete up to `upper`.
    this.lastSeq = upper;
  }
}
