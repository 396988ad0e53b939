import type { Sql } from '../../db/database.ts';
import { markRead, markUnread } from '../../db/tables/conversation-reads.ts';
import { assign, reopen, setState, snooze, upsertConversation, type ConversationState } from '../../db/tables/conversations.ts';
import type { Conversation } from '../../generated/prisma/client.ts';
import { conversationId, sortParticipants } from './conversation-id.ts';

export { existingSpelling, type ConversationState } from '../../db/tables/conversations.ts';

type Query = Pick<Sql, 'query'>;

/**
 * The conversation between our side (`ours`: our number, or the name we send as) and another
 * participant, created on first use with `ours` recorded. Every writer of messages (sends, inbound
 * messages) goes through here, in its own transaction, so the id rule lives in one place.
 */
export async function ensureConversation(tx: Query, ours: string, other: string): Promise<string> {
  const id = conversationId(ours, other);
  const [first, second] = sortParticipants(ours, other);
  await upsertConversation(tx, { id, participantA: first, participantB: second, ours });
  return id;
}

/** An inbound message brings a conversation marked done back to the open list. */
export async function reopenConversation(tx: Query, id: string): Promise<void> {
  await reopen(tx, id);
}

/**
 * Marks a conversation done or open again, for the whole team; the change feed tells every window.
 * Undefined when there is no such conversation. Marking it as it already is changes nothing and
 * says so to nobody.
 */
export function setConversationState(sql: Query, id: string, state: ConversationState): Promise<Conversation | undefined> {
  return setState(sql, id, state);
}

/**
 * Gives a conversation to an operator, or to nobody (null); the change feed tells every window.
 * Undefined when there is no such conversation, 'no-operator' when there is no such operator.
 */
export function assignConversation(sql: Query, id: string, assigneeId: string | null): Promise<Conversation | undefined | 'no-operator'> {
  return assign(sql, id, assigneeId);
}

/**
 * Marks a conversation read by one reader (an operator, or a program by its token): nothing unread
 * for it, read now. Other readers' counts are theirs. Undefined when there is no such conversation.
 */
export function markConversationRead(sql: Query, id: string, readerId: string): Promise<Conversation | undefined> {
  return markRead(sql, id, readerId);
}

/** Marks the newest message from the other side unread again, for this reader only. */
export function markConversationUnread(sql: Query, id: string, readerId: string): Promise<Conversation | undefined> {
  return markUnread(sql, id, readerId);
}

/** The longest a conversation may be snoozed. */
export const MAX_SNOOZE_MS = 366 * 24 * 3600_000;

/**
 * Snoozes a conversation until `until`, out of the Open list for the whole team until then (null
 * ends a snooze). 'invalid' when `until` is not in the future or more than a year away; undefined
 * when there is no such conversation.
 */
export function snoozeConversation(sql: Query, id: string, until: Date | null, now = Date.now()): Promise<Conversation | undefined> | 'invalid' {
  if (until !== null && (!(until.getTime() > now) || until.getTime() - now > MAX_SNOOZE_MS)) return 'invalid';
  return snooze(sql, id, until);
}
