import type { Sql } from '../../db/database.ts';
import { messagesByConversation } from '../../db/tables/messages.ts';
import type { Message } from '../../generated/prisma/client.ts';
import { loadBatched } from '../contacts/batch.ts';
import { knownLastMessage } from './conversation-page.ts';

/** The newest message of a conversation: as the page read it, or read together with those of every conversation on the page. */
export async function loadLastMessage(ctx: { db: Pick<Sql, 'query'> }, conversation: { id: string }): Promise<Message | null> {
  const known = knownLastMessage(conversation);
  if (known) return known.value;
  return loadBatched(ctx, 'lastMessage', conversation.id, (ids: string[]) => messagesByConversation(ctx.db, ids));
}

/** The newest message from the other side of a conversation (WhatsApp's window runs from it), read for the whole page at once. */
export function loadLastInbound(ctx: { db: Pick<Sql, 'query'> }, conversationId: string): Promise<Message | null> {
  return loadBatched(ctx, 'lastInbound', conversationId, (ids: string[]) => messagesByConversation(ctx.db, ids, { inboundOnly: true }));
}

/**
 * The oldest unread message of a conversation: the `unreadCount`-th newest from the other side
 * (the count the change feed's trigger keeps: messages that came in since the conversation was
 * last read), read together with every other conversation's asked for at once.
 */
export function loadFirstUnread(ctx: { db: Pick<Sql, 'query'> }, key: { id: string; unreadCount: number }): Promise<Message | null> {
  if (key.unreadCount <= 0) return Promise.resolve(null);
  return loadBatched(ctx, 'firstUnread', key, (keys: { id: string; unreadCount: number }[]) =>
    messagesByConversation(
      ctx.db,
      keys.map((k) => k.id),
      { skip: keys.map((k) => k.unreadCount - 1), inboundOnly: true },
    ),
  );
}
