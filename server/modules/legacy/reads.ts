import type { Sql } from '../../db/database.ts';
import type { Message } from '../../generated/prisma/client.ts';
import { messageFromRow } from '../messages/message-row.ts';
import type { ConversationListRow } from './shapes.ts';

type Db = Pick<Sql, 'query'>;

/**
 * Every conversation id, most recent activity first (the order GraphQL's `conversations` uses).
 * Read in one statement so the list has each conversation once even while activity reorders them;
 * the details are then read a page at a time.
 */
export async function conversationOrder(db: Db): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT "id" FROM "conversations" ORDER BY "last_message_at" DESC, "id" DESC');
  return rows.map((r) => r.id);
}

/** These conversations, in this order, each with the body of its newest message. */
export async function conversationsWithLastMessage(db: Db, ids: string[]): Promise<ConversationListRow[]> {
  const rows = await db.query<{
    id: string;
    participant_a: string;
    participant_b: string;
    ours: string | null;
    last_message_at: Date | string;
    last_body: string | null;
  }>(
    `SELECT c."id", c."participant_a", c."participant_b", c."ours", c."last_message_at", m."body" AS last_body
       FROM unnest($1::uuid[]) WITH ORDINALITY AS p("id", "n")
       JOIN "conversations" c ON c."id" = p."id"
       LEFT JOIN LATERAL (
         SELECT "body" FROM "messages" WHERE "conversation_id" = c."id" ORDER BY "created_at" DESC, "id" DESC LIMIT 1
       ) m ON true
      ORDER BY p."n"`,
    [ids],
  );
  return rows.map((r) => ({
    id: r.id,
    participantA: r.participant_a,
    participantB: r.participant_b,
    ours: r.ours,
    lastMessageAt: new Date(r.last_message_at),
    lastBody: r.last_body,
  }));
}

/** A page of a conversation's messages, oldest first, after `after` (the last message of the previous page). */
export async function messagesAfter(db: Db, conversationId: string, after: Pick<Message, 'createdAt' | 'id'> | undefined, limit: number): Promise<Message[]> {
  const rows = after
    ? await db.query(
        `SELECT * FROM "messages" WHERE "conversation_id" = $1 AND ("created_at", "id") > ($2, $3::uuid)
          ORDER BY "created_at", "id" LIMIT ${limit}`,
        [conversationId, after.createdAt, after.id],
      )
    : await db.query(`SELECT * FROM "messages" WHERE "conversation_id" = $1 ORDER BY "created_at", "id" LIMIT ${limit}`, [conversationId]);
  return rows.map(messageFromRow);
}
