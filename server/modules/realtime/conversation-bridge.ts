import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { CONVERSATION_CHANGES_CHANNEL, conversationChangeNotification } from './channel.ts';
import type { HatchPubSub } from './pubsub.ts';

/**
 * Publishes `conversationUpdated`. Conversation notifications carry only an id and may come in
 * bursts (each message in a burst bumps its conversation), so pending ids are collected and loaded
 * in one query per pass: each conversation is read once per pass, whatever the subscriber count.
 */
export class ConversationBridge {
  private pending = new Set<string>();
  private draining: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly pubsub: HatchPubSub,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(CONVERSATION_CHANGES_CHANNEL, (payload) => {
      const parsed = conversationChangeNotification.safeParse(safeJson(payload));
      if (!parsed.success) return this.log.error({ payload }, 'unreadable conversation notification');
      this.pending.add(parsed.data.id);
      this.schedule();
    });
  }

  private schedule(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      if (this.pending.size) this.schedule();
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.pending.size) {
      const ids = [...this.pending];
      this.pending.clear();
      try {
        const rows = await this.db.prisma.conversation.findMany({ where: { id: { in: ids } } });
        for (const c of rows) this.pubsub.publish('conversationUpdated', c);
      } catch (err) {
        this.log.error({ err }, 'loading changed conversations failed');
      }
    }
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
