import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { wakeSnoozed } from '../../db/tables/conversations.ts';

/** How often each process looks for snoozes that have run out: a conversation is back within this. */
export const SNOOZE_CHECK_MS = 5_000;

/**
 * Wakes snoozed conversations when their time comes. Every process runs one: the wake-up is a
 * conditional UPDATE, so each conversation wakes once however many replicas look, and one that
 * came due while every server was down wakes at the next start.
 */
export class SnoozeWaker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly everyMs = SNOOZE_CHECK_MS,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.everyMs);
    this.timer.unref();
    void this.check();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  check(): Promise<void> {
    this.running ??= wakeSnoozed(this.db)
      .then((ids) => {
        if (ids.length) this.log.info({ conversations: ids.length }, 'woke snoozed conversations');
      })
      .catch((err) => this.log.warn({ err }, 'waking snoozed conversations failed; will try again'))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
