import type { Sql } from '../../db/database.ts';
import type { Conversation } from '../../generated/prisma/client.ts';
import { conversationId, sortParticipants } from './conversation-id.ts';
import { conversationFromRow } from './conversation-row.ts';

type Query = Pick<Sql, 'query'>;

/**
 * The conversation between our side (`ours`: our number, or the name we send as) and another
 * participant, created on first use with `ours` recorded. Every writer of messages (sends, inbound
 * SMS) goes through here, in its own transaction, so the id rule lives in one place.
 */
export async function ensureConversation(tx: Query, ours: string, other: string): Promise<string> {
  const id = conversationId(ours, other);
  const [first, second] = sortParticipants(ours, other);
  await tx.query(
    `INSERT INTO "conversations" ("id", "participant_a", "participant_b", "ours") VALUES ($1, $2, $3, $4)
     ON CONFLICT ("id") DO UPDATE SET "ours" = EXCLUDED."ours", "updated_at" = now() WHERE "conversations"."ours" IS NULL`,
    [id, first, second, ours],
  );
  return id;
}

/**
 * How a name is already spelt in a conversation `from` has, when it is written in another case:
 * "alice" goes to the conversation with "Alice" rather than starting a second one. Ids stay the
 * original service's (they hash the exact spelling), so the spelling is what must match.
 */
export async function existingSpelling(sql: Query, from: string, name: string): Promise<string | undefined> {
  const [row] = await sql.query<{ name: string }>(
    `SELECT CASE WHEN lower("participant_a") = lower($2) AND "participant_b" = $1 THEN "participant_a" ELSE "participant_b" END AS "name"
       FROM "conversations"
      WHERE (lower("participant_a") = lower($2) AND "participant_b" = $1) OR (lower("participant_b") = lower($2) AND "participant_a" = $1)
      ORDER BY "last_message_at" DESC, "id" DESC LIMIT 1`,
    [from, name],
  );
  return row?.name;
}

/** An inbound message brings a conversation marked done back to the open list. */
export async function reopenConversation(tx: Query, id: string): Promise<void> {
  await tx.query(`UPDATE "conversations" SET "done_at" = NULL, "updated_at" = now() WHERE "id" = $1 AND "done_at" IS NOT NULL`, [id]);
}

export type ConversationState = 'done' | 'open' | 'unread';

const CHANGES: Record<ConversationState, string> = {
  done: `"done_at" = COALESCE("done_at", now())`,
  open: `"done_at" = NULL`,
  // The newest message from the other side counts as unread again (at least one, however many were).
  unread: `"unread_count" = GREATEST("unread_count", 1)`,
};

/**
 * Marks a conversation done, open again, or unread; the change feed tells every window. Undefined
 * when there is no such conversation. Marking it as it already is changes nothing and says so to
 * nobody.
 */
export async function setConversationState(sql: Query, id: string, state: ConversationState): Promise<Conversation | undefined> {
  const [row] = await sql.query(
    `WITH changed AS (
       UPDATE "conversations" SET ${CHANGES[state]}, "updated_at" = now()
        WHERE "id" = $1 AND ${state === 'done' ? '"done_at" IS NULL' : state === 'open' ? '"done_at" IS NOT NULL' : '"unread_count" = 0'}
        RETURNING *)
     SELECT * FROM changed UNION ALL SELECT * FROM "conversations" WHERE "id" = $1 AND NOT EXISTS (SELECT 1 FROM changed)`,
    [id],
  );
  return row ? conversationFromRow(row) : undefined;
}
