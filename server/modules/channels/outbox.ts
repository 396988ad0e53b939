import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { markFailed, recordHandedOver } from '../../db/tables/messages.ts';
import { claimNext, dequeue, retryLater, waiting, type Claimed } from '../../db/tables/sms-outbox.ts';
import type { Metrics } from '../../metrics.ts';
import { markOptedOut } from '../contacts/contacts.service.ts';
import { SendError, type Channel, type MessageChannel, type OutboundMessage, type SendResult } from './channel.ts';
import { replayEarlyReports } from './statuses.ts';

export interface OutboxOptions {
  /** How long a claimed row stays ours; a worker that dies loses it after this and another takes over. */
  leaseMs?: number;
  /** Attempts before a retryable failure becomes FAILED. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Safety net for missed wake-ups and for retries coming due. */
  pollMs?: number;
}

/**
 * Hands queued messages to their channel's provider. `sendMessage` commits the message and its
 * outbox row together before any network call; this worker claims rows (SKIP LOCKED, so replicas
 * never share one), calls the message's channel with the message id as idempotency token, and
 * records the outcome.
 *
 * A row is "in doubt" from the moment it is claimed until the provider gives a definite answer.
 * A worker that dies mid-send leaves it in doubt; whoever claims it next first asks the provider
 * whether the message exists, and adopts it rather than sending a second text.
 */
export class OutboxWorker {
  private readonly opts: Required<OutboxOptions>;
  private sent: (() => void) | undefined;
  private failed: ((code: string | undefined) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** When each channel's per-second budget next allows a send (pacing by units: SMS segments). */
  private readonly nextSendAt = new Map<MessageChannel, number>();

  constructor(
    private readonly db: Database,
    private readonly channels: ReadonlyMap<MessageChannel, Channel>,
    private readonly log: Logger,
    opts: OutboxOptions = {},
  ) {
    this.opts = { leaseMs: 30_000, maxAttempts: 6, backoffMs: 1000, maxBackoffMs: 60_000, pollMs: 1000, ...opts };
  }

  /** The outbox's own metrics: messages handed over and failed, and what is waiting. */
  registerMetrics(metrics: Metrics): void {
    const sent = metrics.counter('hatch_sms_sent_total', 'SMS handed to the provider.');
    const failed = metrics.counter('hatch_sms_failed_total', 'SMS that failed for good, by provider error code.', ['code']);
    this.sent = () => sent.inc();
    this.failed = (code) => failed.inc({ code: code ?? 'none' });
    metrics.gauge('hatch_sms_outbox_depth', 'SMS waiting to be handed to the provider.', async () => (await waiting(this.db)).n);
    metrics.gauge('hatch_sms_outbox_oldest_seconds', 'Age of the oldest SMS waiting to be handed over (0 when none).', async () => (await waiting(this.db)).ageSeconds ?? 0);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Wakes the worker now (called after a send is committed). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.log.error({ err }, 'SMS outbox pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const job = await this.claim();
      if (!job) return;
      await this.process(job);
    }
  }

  private claim(): Promise<Claimed | undefined> {
    return claimNext(this.db, this.opts.leaseMs);
  }

  private async process(job: Claimed): Promise<void> {
    const log = this.log.child({ messageId: job.messageId, attempt: job.attempts });
    const message: OutboundMessage = { messageId: job.messageId, from: job.from, to: job.to, body: job.body, template: job.template };
    const channel = this.channels.get(job.channel as MessageChannel);
    try {
      if (!channel) throw new SendError(`No ${job.channel} channel is set up here.`, false);
      let result: SendResult | undefined;
      if (job.wasInDoubt && channel.findSent) {
        result = await channel.findSent(message, job.createdAt);
        if (result) log.warn({ providerSid: result.providerSid }, 'an earlier attempt had reached the provider; adopting it');
      }
      if (!result) {
        await this.pace(channel, message.body);
        result = await channel.send(message);
      }
      await this.recordSent(channel, job.messageId, result);
      this.sent?.();
      log.info({ providerSid: result.providerSid, channel: job.channel }, 'message handed to provider');
    } catch (err) {
      await this.recordFailure(channel, job, err instanceof SendError ? err : new SendError((err as Error).message, true, undefined, true), log);
    }
  }

  /** Keeps to the provider's per-second limit, so it never has to queue on our behalf. */
  private async pace(channel: Channel, body: string): Promise<void> {
    const rate = channel.maxUnitsPerSecond;
    if (!rate) return;
    const now = Date.now();
    const startAt = Math.max(now, this.nextSendAt.get(channel.id) ?? 0);
    this.nextSendAt.set(channel.id, startAt + (channel.units(body) * 1000) / rate);
    if (startAt > now) await new Promise((r) => setTimeout(r, startAt - now));
  }

  private async recordSent(channel: Channel, messageId: string, result: SendResult): Promise<void> {
    await this.db.transaction(async (tx) => {
      await recordHandedOver(tx, messageId, result.providerSid, result.status);
      await dequeue(tx, messageId);
    });
    // A status callback can beat the API's answer here; it was kept, so apply it now.
    await replayEarlyReports(this.db, channel, result.providerSid);
  }

  private async recordFailure(channel: Channel | undefined, job: Claimed, e: SendError, log: Logger): Promise<void> {
    if (e.retryable && job.attempts < this.opts.maxAttempts) {
      const delay = this.backoff(job.attempts);
      log.warn({ err: e.message, code: e.code, inDoubt: e.inDoubt, retryInMs: delay }, 'SMS send failed; will retry');
      await retryLater(this.db, job.messageId, e.message, delay, e.inDoubt);
      return;
    }
    log.warn({ err: e.message, code: e.code }, 'SMS send failed for good');
    this.failed?.(e.code);
    await this.db.transaction(async (tx) => {
      await markFailed(tx, job.messageId, e.code ?? null, e.message);
      await dequeue(tx, job.messageId);
      // A provider saying the recipient opted out opts the number out here too: the next send is
      // refused before it costs.
      const optedOut = channel?.optOutByError(e.code, job.to);
      if (optedOut) await markOptedOut(tx, job.to, true, optedOut);
    });
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }
}
