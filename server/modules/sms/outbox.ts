import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { optOutOnProviderError } from './opt-out.ts';
import { applyProviderStatus, isProviderStatus, PROVIDER_STATUS } from './provider-status.ts';
import { smsSegments } from './segments.ts';
import { SmsSendError, type OutboundSms, type SmsSender, type SmsSendResult } from './sms-sender.ts';

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
  /** Told of each SMS handed over, and of each that failed for good (with the provider's code). */
  onSent?: () => void;
  onFailed?: (code: string | undefined) => void;
}

interface Claimed {
  message_id: string;
  attempts: number;
  was_in_doubt: boolean;
  from: string;
  to: string;
  body: string;
  created_at: Date | string;
}

/**
 * Hands queued SMS to the provider. `sendMessage` commits the message and its outbox row together
 * before any network call; this worker claims rows (SKIP LOCKED, so replicas never share one),
 * calls the provider with the message id as idempotency token, and records the outcome.
 *
 * A row is "in doubt" from the moment it is claimed until the provider gives a definite answer.
 * A worker that dies mid-send leaves it in doubt; whoever claims it next first asks the provider
 * whether the message exists, and adopts it rather than sending a second text.
 */
export class SmsOutboxWorker {
  private readonly opts: Required<OutboxOptions>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** When the provider's per-second budget next allows a send (pacing by segments). */
  private nextSendAt = 0;

  constructor(
    private readonly db: Database,
    private readonly sender: SmsSender,
    private readonly log: Logger,
    opts: OutboxOptions = {},
  ) {
    this.opts = { leaseMs: 30_000, maxAttempts: 6, backoffMs: 1000, maxBackoffMs: 60_000, pollMs: 1000, onSent: () => {}, onFailed: () => {}, ...opts };
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

  private async claim(): Promise<Claimed | undefined> {
    const rows = await this.db.query<Claimed>(
      `WITH next AS (
         SELECT "message_id", "in_doubt" FROM "sms_outbox"
          WHERE "next_attempt_at" <= now() AND ("lease_until" IS NULL OR "lease_until" < now())
          ORDER BY "next_attempt_at" LIMIT 1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE "sms_outbox" o SET "lease_until" = now() + make_interval(secs => $1),
                "attempts" = o."attempts" + 1, "in_doubt" = true
           FROM next WHERE o."message_id" = next."message_id"
         RETURNING o."message_id", o."attempts", next."in_doubt" AS was_in_doubt
       )
       SELECT c."message_id", c."attempts", c.was_in_doubt, m."from", m."to", m."body", m."created_at"
         FROM claimed c JOIN "messages" m ON m."id" = c."message_id"`,
      [this.opts.leaseMs / 1000],
    );
    return rows[0];
  }

  private async process(job: Claimed): Promise<void> {
    const log = this.log.child({ messageId: job.message_id, attempt: job.attempts });
    const sms: OutboundSms = { messageId: job.message_id, from: job.from, to: job.to, body: job.body };
    try {
      let result: SmsSendResult | undefined;
      if (job.was_in_doubt && this.sender.findSent) {
        result = await this.sender.findSent(sms, new Date(job.created_at));
        if (result) log.warn({ providerSid: result.providerSid }, 'an earlier attempt had reached the provider; adopting it');
      }
      if (!result) {
        await this.pace(sms.body);
        result = await this.sender.send(sms);
      }
      await this.recordSent(job.message_id, result);
      this.opts.onSent();
      log.info({ providerSid: result.providerSid }, 'SMS handed to provider');
    } catch (err) {
      await this.recordFailure(job, err instanceof SmsSendError ? err : new SmsSendError((err as Error).message, true, undefined, true), log);
    }
  }

  /** Keeps to the provider's segments-per-second limit, so it never has to queue on our behalf. */
  private async pace(body: string): Promise<void> {
    const mps = this.sender.maxSegmentsPerSecond;
    if (!mps) return;
    const now = Date.now();
    const startAt = Math.max(now, this.nextSendAt);
    this.nextSendAt = startAt + (Math.max(1, smsSegments(body).segments) * 1000) / mps;
    if (startAt > now) await new Promise((r) => setTimeout(r, startAt - now));
  }

  private async recordSent(messageId: string, result: SmsSendResult): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE "messages" SET "provider_sid" = $2,
            "status" = CASE WHEN "status" = 'QUEUED' THEN $3::"MessageStatus" ELSE "status" END
          WHERE "id" = $1`,
        [messageId, result.providerSid, PROVIDER_STATUS[result.status]],
      );
      await tx.query('DELETE FROM "sms_outbox" WHERE "message_id" = $1', [messageId]);
    });
    // A status callback can beat the API's answer here; it was kept, so apply it now.
    const early = await this.db.query<{ status: string; error_code: string | null }>(
      'SELECT "status", "error_code" FROM "message_status_events" WHERE "provider_sid" = $1 ORDER BY "id"',
      [result.providerSid],
    );
    for (const e of early) {
      if (isProviderStatus(e.status)) await applyProviderStatus(this.db, result.providerSid, { status: e.status, errorCode: e.error_code });
    }
  }

  private async recordFailure(job: Claimed, e: SmsSendError, log: Logger): Promise<void> {
    if (e.retryable && job.attempts < this.opts.maxAttempts) {
      const delay = this.backoff(job.attempts);
      log.warn({ err: e.message, code: e.code, inDoubt: e.inDoubt, retryInMs: delay }, 'SMS send failed; will retry');
      await this.db.query(
        `UPDATE "sms_outbox" SET "lease_until" = NULL, "last_error" = $2, "in_doubt" = $4,
            "next_attempt_at" = now() + make_interval(secs => $3) WHERE "message_id" = $1`,
        [job.message_id, e.message, delay / 1000, e.inDoubt],
      );
      return;
    }
    log.warn({ err: e.message, code: e.code }, 'SMS send failed for good');
    this.opts.onFailed(e.code);
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE "messages" SET "status" = 'FAILED', "error_code" = $2, "error_message" = $3 WHERE "id" = $1`, [
        job.message_id,
        e.code ?? null,
        e.message,
      ]);
      await tx.query('DELETE FROM "sms_outbox" WHERE "message_id" = $1', [job.message_id]);
      await optOutOnProviderError(tx, e.code, job.to);
    });
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }
}
