import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { prunedThrough } from '../../db/tables/change-feed.ts';
import {
  anyEnabledEndpoint,
  leaseDueEndpoints,
  lockEndpointsToFill,
  oldestWaiting,
  queueDeliveries,
  recordDelivered,
  recordFailed,
  releaseLease,
  setPosition,
  type Delivered,
  type WebhookEndpointRow,
} from '../../db/tables/webhooks.ts';
import { Periodic } from '../../lib/periodic.ts';
import type { WebhookNetwork } from './address-guard.ts';
import { DELIVERY_TIMEOUT_MS, postDelivery, signedHeaders } from './delivery-http.ts';
import { missedDelivery } from './events.ts';
import { feedEventsAfter } from './feed-events.ts';

export interface DispatchTimes {
  /** How often each process looks for changes to queue and deliveries due. */
  everyMs: number;
  /** Waits after the 1st, 2nd, … failed attempt; the last repeats. Jittered by ±20 %. */
  retryMs: number[];
  /** An endpoint failing this long is disabled. */
  disableAfterMs: number;
  /** The longest one attempt may take. */
  timeoutMs: number;
}

/**
 * Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h: retried for well
 * over 24 hours, until the endpoint has failed for 3 days and is disabled.
 */
export const DISPATCH_TIMES: DispatchTimes = {
  everyMs: 1_000,
  retryMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000],
  disableAfterMs: 3 * 86_400_000,
  timeoutMs: DELIVERY_TIMEOUT_MS,
};

const ENDPOINTS_AT_ONCE = 8;
/** How long a nudge waits, so a burst of changes makes one round. */
const NUDGE_MS = 20;
/** Deliveries of one endpoint read, and recorded, together. */
const DELIVERY_BATCH = 50;

/**
 * Delivers webhooks. Every process runs one; the database makes them one: queuing an endpoint's
 * events locks its row (another replica skips it) and moves its feed position in the same
 * transaction, so each change is queued once; delivering takes a lease on the endpoint, so its
 * queue is sent by one replica at a time, oldest first, the next only once the one before it
 * was accepted. A delivery is marked after the receiver answers, so a crash in between sends it
 * again with the same `webhook-id` (at least once).
 */
export class WebhookDispatcher extends Periodic<void> {
  private nudged: NodeJS.Timeout | undefined;
  private noEndpoints = true;
  constructor(
    private readonly db: Database,
    private readonly network: WebhookNetwork,
    private readonly log: Logger,
    private readonly times: DispatchTimes = DISPATCH_TIMES,
  ) {
    super(times.everyMs);
  }

  /** One round now: tests and "send test event" do not wait for the timer. */
  kick(): Promise<void> {
    return this.run();
  }

  /**
   * The feed moved: a round soon rather than at the next tick, so a delivery leaves within tens of
   * milliseconds. Many changes in a burst make one round; with no endpoint, nothing (the tick
   * finds out when one is added).
   */
  nudge(): void {
    if (this.noEndpoints || this.nudged) return;
    this.nudged = setTimeout(() => {
      this.nudged = undefined;
      void this.run();
    }, NUDGE_MS);
    this.nudged.unref();
  }

  override async stop(): Promise<void> {
    clearTimeout(this.nudged);
    this.noEndpoints = true;
    await super.stop();
  }

  protected async round(): Promise<void> {
    // Most deployments have no webhook: one indexed read a second is all they pay.
    this.noEndpoints = !(await anyEnabledEndpoint(this.db));
    if (this.noEndpoints) return;
    await this.queue();
    const leaseMs = this.times.timeoutMs * 3 + 5_000;
    const leased = await leaseDueEndpoints(this.db, leaseMs, ENDPOINTS_AT_ONCE);
    // No attempt starts that could outlast the lease: another replica may take the endpoint then.
    const stopBy = Date.now() + leaseMs - this.times.timeoutMs - 2_000;
    await Promise.all(leased.map((e) => this.deliver(e, stopBy).finally(() => releaseLease(this.db, e.id))));
  }

  protected failed(err: unknown): void {
    this.log.warn({ err }, 'webhook delivery round failed; will try again');
  }

  /** Turns the changes after each endpoint's position into its deliveries. */
  private async queue(): Promise<void> {
    for (;;) {
      const more = await this.db.transaction(async (tx) => {
        let full = false;
        const pruned = await prunedThrough(tx);
        for (const endpoint of await lockEndpointsToFill(tx)) {
          // Disabled for longer than the feed keeps changes: what it missed is gone. It is told
          // so, once, instead of silently never getting those events.
          if (endpoint.position < pruned) {
            await queueDeliveries(tx, endpoint.id, [missedDelivery(endpoint.id, endpoint.position, pruned)]);
            await setPosition(tx, endpoint.id, pruned);
            endpoint.position = pruned;
          }
          const events = await feedEventsAfter(tx, endpoint.position, endpoint.events);
          if (events.through === undefined) continue;
          await queueDeliveries(tx, endpoint.id, events.deliveries);
          await setPosition(tx, endpoint.id, events.through);
          full ||= events.more;
        }
        return full;
      });
      if (!more) return;
    }
  }

  /**
   * Sends an endpoint's due deliveries in order, stopping at the first that fails (it waits its
   * turn). They are read a batch at a time, and those accepted are recorded together after the
   * batch (or before a failure is): one round trip per batch rather than two per delivery.
   */
  private async deliver(endpoint: WebhookEndpointRow, stopBy: number): Promise<void> {
    for (;;) {
      const batch = await oldestWaiting(this.db, endpoint.id, DELIVERY_BATCH);
      const delivered: Delivered[] = [];
      let stopped = false;
      for (const next of batch) {
        if (!next.due || (stopped = Date.now() > stopBy)) break;
        const headers = signedHeaders(endpoint.secrets, next.webhookId, new Date(), next.payload);
        const attempt = await postDelivery(endpoint.url, headers, next.payload, this.network, this.times.timeoutMs);
        if (attempt.ok) {
          delivered.push({ id: next.id, status: attempt.status, durationMs: attempt.durationMs, answer: attempt.answer });
          continue;
        }
        const wait = this.times.retryMs[Math.min(next.attempts, this.times.retryMs.length - 1)]!;
        const { disabled } = await this.db.transaction(async (tx) => {
          await recordDelivered(tx, endpoint.id, delivered);
          return recordFailed(tx, {
            id: next.id,
            endpointId: endpoint.id,
            status: attempt.status,
            durationMs: attempt.durationMs,
            answer: 'answer' in attempt ? attempt.answer : null,
            error: 'error' in attempt ? attempt.error : null,
            retryInMs: Math.round(wait * (0.8 + Math.random() * 0.4)),
            disableAfterMs: this.times.disableAfterMs,
          });
        });
        this.log.info({ endpoint: endpoint.id, webhookId: next.webhookId, status: attempt.status, disabled }, 'webhook delivery failed; will try again');
        return;
      }
      if (delivered.length) await this.db.transaction((tx) => recordDelivered(tx, endpoint.id, delivered));
      // A full batch all sent: there may be more waiting (the next round takes them when time is up).
      if (stopped || delivered.length < DELIVERY_BATCH) return;
    }
  }
}
