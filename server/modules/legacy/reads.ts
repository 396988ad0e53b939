import type { Sql } from '../../db/database.ts';
import { conversationOrder as order, conversationsWithLastBody } from '../../db/tables/conversations.ts';
import { messagesOldestFirst } from '../../db/tables/messages.ts';
import type { Message } from '../../generated/prisma/client.ts';
import type { ConversationListRow } from './shapes.ts';

type Db = Pick<Sql, 'query'>;

/**
 * Every conversation id, most recent activity first (the order GraphQL's `conversations` uses).
 * Read in one statement so the list has each conversation once even while activity reorders them;
 * the details are then read a page at a time.
 */
export function conversationOrder(db: Db): Promise<string[]> {
  return order(db);
}

/** These conversations, in this order, each with the body of its newest message. */
export function conversationsWithLastMessage(db: Db, ids: string[]): Promise<ConversationListRow[]> {
  return conversationsWithLastBody(db, ids);
}

/** A page of a conversation's messages, oldest first, after `after` (the last message of the previous page). */
export function messagesAfter(db: Db, conversationId: string, after: Pick<Message, 'createdAt' | 'id'> | undefined, limit: number): Promise<Message[]> {
  return messagesOldestFirst(db, conversationId, after, limit);
}
