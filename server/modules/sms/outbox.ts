import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { PROVIDER_STATUS } from '../messages/message-status.ts';
import { SmsSendError, type SmsSender } from './sms-sender.ts';

export interface OutboxOptions {
  /** How long a claimed row stays ours; a worker that dies loses it after this and another takes over. */
  leaseMs?: number;
  /** Attempts before a retryable failure becomes FAILED. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, with full jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Safety net for missed wake-ups and for retries coming due. */
  pollMs?: number;
}

interface Claimed {
  message_id: string;
  attempts: number;
  from: string;
  to: string;
  body: string;
}

/**
 * Hands queued SMS to the provider. `sendMessage` commits the message and its outbox row together
 * before any network call; this worker claims rows (SKIP LOCKED, so replicas never share one),
 * calls the provider with the message id as idempotency token, and records the outcome.
 */
export class SmsOutboxWorker {
  private readonly opts: Required<OutboxOptions>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly sender: SmsSender,
    private readonly log: Logger,
    opts: OutboxOptions = {},
  ) {
    this.opts = { leaseMs: 30_000, maxAttempts: 5, backoffMs: 1000, maxBackoffMs: 60_000, pollMs: 1000, ...opts };
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
         SELECT "message_id" FROM "sms_outbox"
          WHERE "next_attempt_at" <= now() AND ("lease_until" IS NULL OR "lease_until" < now())
          ORDER BY "next_attempt_at" LIMIT 1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE "sms_outbox" o SET "lease_until" = now() + make_interval(secs => $1), "attempts" = o."attempts" + 1
           FROM next WHERE o."message_id" = next."message_id"
         RETURNING o."message_id", o."attempts"
       )
       SELECT c."message_id", c."attempts", m."from", m."to", m."body"
         FROM claimed c JOIN "messages" m ON m."id" = c."message_id"`,
      [this.opts.leaseMs / 1000],
    );
    return rows[0];
  }

  private async process(job: Claimed): Promise<void> {
    const log = this.log.child({ messageId: job.message_id, attempt: job.attempts });
    try {
      const result = await this.sender.send({ messageId: job.message_id, from: job.from, to: job.to, body: job.body });
      await this.finish(
        job.message_id,
        `UPDATE "messages" SET "provider_sid" = $2,
            "status" = CASE WHEN "status" = 'QUEUED' THEN $3::"MessageStatus" ELSE "status" END
          WHERE "id" = $1`,
        [job.message_id, result.providerSid, PROVIDER_STATUS[result.status]],
      );
      log.info({ providerSid: result.providerSid }, 'SMS handed to provider');
    } catch (err) {
      const e = err instanceof SmsSendError ? err : new SmsSendError((err as Error).message, true);
      if (e.retryable && job.attempts < this.opts.maxAttempts) {
        const delay = this.backoff(job.attempts);
        log.warn({ err: e.message, code: e.code, retryInMs: delay }, 'SMS send failed; will retry');
        await this.db.query(
          `UPDATE "sms_outbox" SET "lease_until" = NULL, "last_error" = $2,
              "next_attempt_at" = now() + make_interval(secs => $3) WHERE "message_id" = $1`,
          [job.message_id, e.message, delay / 1000],
        );
        return;
      }
      log.warn({ err: e.message, code: e.code }, 'SMS send failed for good');
      await this.finish(
        job.message_id,
        `UPDATE "messages" SET "status" = 'FAILED', "error_code" = $2, "error_message" = $3 WHERE "id" = $1`,
        [job.message_id, e.code ?? null, e.message],
      );
    }
  }

  /** Records the outcome and removes the outbox row in one transaction. */
  private async finish(messageId: string, sql: string, params: unknown[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(sql, params);
      await tx.query('DELETE FROM "sms_outbox" WHERE "message_id" = $1', [messageId]);
    });
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }
}
