import type { Sql } from '../../db/database.ts';
import { conversationFromRow } from '../conversations/conversation-row.ts';
import { messageFromRow } from '../messages/message-row.ts';
import type { ConversationUpdateEvent, MessageUpdateEvent } from './pubsub.ts';

/** Rows of the feed tables as events, read by the bridge (live) and by resuming subscriptions alike. */

export const FEED_BATCH = 500;

interface MessageChangeRow {
  seq: string;
  action: MessageUpdateEvent['action'];
  message_id: string;
  conversation_id: string;
  occurred_at: string | Date;
  row: Record<string, unknown>;
}

interface ConversationChangeRow {
  seq: string;
  row: Record<string, unknown>;
}

// Sequence numbers leave as text (they outgrow JS numbers); the queries order by the table's
// column by its full name, since a bare ORDER BY "seq" would sort the text alias: "10" < "9".
const MESSAGE_COLUMNS = `"seq"::text AS seq, "action", "message_id", "conversation_id", "occurred_at", "row"`;

const toMessageEvent = (r: MessageChangeRow): MessageUpdateEvent => ({
  cursor: r.seq,
  action: r.action,
  conversationId: r.conversation_id,
  messageId: r.message_id,
  occurredAt: new Date(r.occurred_at),
  message: r.action === 'DELETE' ? null : messageFromRow(r.row),
});

const toConversationEvent = (r: ConversationChangeRow): ConversationUpdateEvent => ({ cursor: r.seq, conversation: conversationFromRow(r.row) });

/** Message changes with `after < seq <= upTo`, oldest first, at most FEED_BATCH. */
export async function messageChangesBetween(db: Pick<Sql, 'query'>, after: bigint, upTo: bigint): Promise<MessageUpdateEvent[]> {
  const rows = await db.query<MessageChangeRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM "message_changes" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "message_changes"."seq" LIMIT ${FEED_BATCH}`,
    [after.toString(), upTo.toString()],
  );
  return rows.map(toMessageEvent);
}

/** Conversation changes with `after < seq <= upTo`, oldest first, at most FEED_BATCH. */
export async function conversationChangesBetween(db: Pick<Sql, 'query'>, after: bigint, upTo: bigint): Promise<ConversationUpdateEvent[]> {
  const rows = await db.query<ConversationChangeRow>(
    `SELECT "seq"::text AS seq, "row" FROM "conversation_changes" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "conversation_changes"."seq" LIMIT ${FEED_BATCH}`,
    [after.toString(), upTo.toString()],
  );
  return rows.map(toConversationEvent);
}

/** The message changes after `after` (in one conversation, if given), oldest first, at most FEED_BATCH. */
export async function messageChangesAfter(db: Pick<Sql, 'query'>, after: bigint, conversationId?: string): Promise<MessageUpdateEvent[]> {
  const rows = await db.query<MessageChangeRow>(
    conversationId
      ? `SELECT ${MESSAGE_COLUMNS} FROM "message_changes" WHERE "conversation_id" = $2 AND "seq" > $1 ORDER BY "message_changes"."seq" LIMIT ${FEED_BATCH}`
      : `SELECT ${MESSAGE_COLUMNS} FROM "message_changes" WHERE "seq" > $1 ORDER BY "message_changes"."seq" LIMIT ${FEED_BATCH}`,
    conversationId ? [after.toString(), conversationId] : [after.toString()],
  );
  return rows.map(toMessageEvent);
}

export async function conversationChangesAfter(db: Pick<Sql, 'query'>, after: bigint): Promise<ConversationUpdateEvent[]> {
  return conversationChangesBetween(db, after, 2n ** 63n - 1n);
}

/** The newest position of the feed (both tables share one sequence). */
export async function newestSeq(db: Pick<Sql, 'query'>): Promise<bigint> {
  const [row] = await db.query<{ max: string }>(
    `SELECT GREATEST((SELECT COALESCE(MAX("seq"), 0) FROM "message_changes"),
                     (SELECT COALESCE(MAX("seq"), 0) FROM "conversation_changes"))::text AS max`,
  );
  return BigInt(row!.max);
}
