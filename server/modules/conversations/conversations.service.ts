import type { Sql } from '../../db/database.ts';
import { conversationId, sortParticipants } from './conversation-id.ts';

/**
 * The conversation between our side (`ours`: our number, or the name we send as) and another
 * participant, created on first use with `ours` recorded. Every writer of messages (sends, inbound
 * SMS) goes through here, in its own transaction, so the id rule lives in one place.
 */
export async function ensureConversation(tx: Pick<Sql, 'query'>, ours: string, other: string): Promise<string> {
  const id = conversationId(ours, other);
  const [first, second] = sortParticipants(ours, other);
  await tx.query(
    `INSERT INTO "conversations" ("id", "participant_a", "participant_b", "ours") VALUES ($1, $2, $3, $4)
     ON CONFLICT ("id") DO UPDATE SET "ours" = EXCLUDED."ours" WHERE "conversations"."ours" IS NULL`,
    [id, first, second, ours],
  );
  return id;
}
