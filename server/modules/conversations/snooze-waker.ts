import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { wakeSnoozed } from '../../db/tables/conversations.ts';
import { Periodic } from '../../lib/periodic.ts';

/** How often each process looks for snoozes that have run out: a conversation is back within this. */
export const SNOOZE_CHECK_MS = 5_000;

/**
 * Wakes snoozed conversations when their time comes. Every process runs one: the wake-up is a
 * conditional UPDATE, so each conversation wakes once however many replicas look, and one that
 * came due while every server was down wakes at the next start.
 */
export class SnoozeWaker extends Periodic<void> {
  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    everyMs = SNOOZE_CHECK_MS,
  ) {
    super(everyMs);
  }

  check(): Promise<void> {
    return this.run();
  }

  protected async round(): Promise<void> {
    const ids = await wakeSnoozed(this.db);
    if (ids.length) this.log.info({ conversations: ids.length }, 'woke snoozed conversations');
  }

  protected failed(err: unknown): void {
    this.log.warn({ err }, 'waking snoozed conversations failed; will try again');
  }
}
