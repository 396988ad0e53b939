import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { workingTokenIds } from '../../db/tables/api-tokens.ts';
import { isWorkingOperator } from '../../db/tables/operators.ts';
import { claimDue, postpone, setScheduledStatus } from '../../db/tables/scheduled-messages.ts';
import type { ScheduledMessage } from '../../generated/prisma/client.ts';
import { Periodic } from '../../lib/periodic.ts';
import type { Author } from '../access/principal.ts';
import type { MessagesService } from '../messages/messages.service.ts';

export interface SchedulerTimes {
  /** How often each process looks for messages due. */
  everyMs: number;
  /** How long a replica owns a message it took to send. */
  leaseMs: number;
}

export const SCHEDULER_TIMES: SchedulerTimes = { everyMs: 1_000, leaseMs: 60_000 };

const AT_ONCE = 50;

/** The idempotency key a scheduled message is sent with: the same message whoever sends it, however often. */
export const scheduledKey = (id: string) => `scheduled:${id}`;

/**
 * Sends scheduled messages when they are due. Every process runs one: a replica takes a due
 * message for a lease (another skips it), sends it through sendMessage's own path with the
 * idempotency key "scheduled:<id>" (a send repeated after a crash returns the first message), and
 * records the outcome. Every check of a send runs then: the author must still be allowed to send,
 * the rate limit postpones it, quiet hours move it to when they end, an opted-out number or a
 * refused destination fails it, with the reason shown in the thread.
 */
export class Scheduler extends Periodic<number> {
  constructor(
    private readonly db: Database,
    private readonly messages: MessagesService,
    private readonly log: Logger,
    private readonly clock: () => Date,
    private readonly times: SchedulerTimes = SCHEDULER_TIMES,
  ) {
    super(times.everyMs);
  }

  /** One round now (tests move the clock, then call this): how many were sent. */
  sendDue(): Promise<number> {
    return this.run();
  }

  protected async round(): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = await claimDue(this.db, this.clock(), this.times.leaseMs, AT_ONCE);
      for (const s of due) sent += (await this.sendOne(s)) ? 1 : 0;
      if (due.length < AT_ONCE) return sent;
    }
  }

  protected failed(err: unknown): number {
    this.log.warn({ err }, 'sending scheduled messages failed; will try again');
    return 0;
  }

  private async sendOne(s: ScheduledMessage): Promise<boolean> {
    const author: Author = { kind: s.sentByKind as Author['kind'], id: s.sentById, name: s.sentByName };
    const stillAllowed = await this.authorMaySend(author);
    if (!stillAllowed) {
      await this.db.transaction((tx) => setScheduledStatus(tx, s.id, 'FAILED', { errorCode: 'AUTHOR_REVOKED', errorMessage: 'Not sent: whoever scheduled it can no longer send.' }));
      return false;
    }
    const result = await this.messages.send({ conversationId: s.conversationId, from: s.from, body: s.body, idempotencyKey: scheduledKey(s.id), due: true }, author);
    if (result.message) {
      await this.db.transaction((tx) => setScheduledStatus(tx, s.id, 'SENT', { messageId: result.message!.id }));
      return true;
    }
    const [error] = result.errors;
    if (error?.code === 'RATE_LIMITED' || error?.code === 'QUIET_HOURS') {
      const at = error.availableAt ?? new Date(this.clock().getTime() + (error.retryAfterSeconds ?? 60) * 1000);
      await this.db.transaction((tx) => postpone(tx, s.id, at));
      this.log.info({ scheduled: s.id, code: error.code, until: at.toISOString() }, 'scheduled message postponed');
      return false;
    }
    await this.db.transaction((tx) => setScheduledStatus(tx, s.id, 'FAILED', { errorCode: error?.code ?? 'FAILED', errorMessage: `Not sent: ${error?.message ?? 'refused.'}` }));
    this.log.info({ scheduled: s.id, code: error?.code }, 'scheduled message could not be sent');
    return false;
  }

  /**
   * Whether who scheduled it may still send: an operator since disabled or removed, or a token
   * since revoked, sends nothing more. (A token that scheduled one had the send scope, and a
   * token's scope never changes.)
   */
  private async authorMaySend(author: Author): Promise<boolean> {
    if (!author.id) return true;
    return author.kind === 'TOKEN' ? (await workingTokenIds(this.db, [author.id])).length === 1 : isWorkingOperator(this.db, author.id);
  }
}
