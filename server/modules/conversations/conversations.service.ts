import type { Sql } from '../../db/database.ts';
import { conversationId, sortParticipants } from './conversation-id.ts';

/**
 * The conversation of two participants, created on first use. Every writer of messages (sends,
 * inbound SMS) goes through here, in its own transaction, so the id rule lives in one place.
 */
export async function ensureConversation(tx: Pick<Sql, 'query'>, a: string, b: string): Promise<string> {
  const id = conversationId(a, b);
  const [first, second] = sortParticipants(a, b);
  await tx.query(
    `INSERT INTO "conversations" ("id", "participant_a", "participant_b") VALUES ($1, $2, $3) ON CONFLICT ("id") DO NOTHING`,
    [id, first, second],
  );
  return id;
}
