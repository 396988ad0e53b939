import type { Sql } from '../../db/database.ts';
import type { Message } from '../../generated/prisma/client.ts';
import { loadBatched } from '../contacts/batch.ts';
import { messageFromRow } from '../messages/message-row.ts';

/**
 * The newest message of each conversation asked for together: one query, each conversation's
 * row found by walking its index from the newest end. Prisma cannot say this for a page: a nested
 * `take: 1` reads every message of every conversation on the page and keeps one of each in
 * memory (2,100 rows for a page of 21 conversations of 100 messages, and it grows with threads).
 */
async function lastMessagesOf(sql: Pick<Sql, 'query'>, ids: string[]): Promise<(Message | null)[]> {
  const rows = await sql.query<Record<string, unknown> & { key: string }>(
    `SELECT c."id"::text AS "key", m.* FROM unnest($1::uuid[]) AS c("id")
       CROSS JOIN LATERAL (
         SELECT * FROM "messages" WHERE "conversation_id" = c."id"
          ORDER BY "created_at" DESC, "id" DESC LIMIT 1) m`,
    [[...new Set(ids)]],
  );
  const byKey = new Map(rows.map(({ key, ...row }) => [key, messageFromRow(row)]));
  return ids.map((id) => byKey.get(id) ?? null);
}

export function loadLastMessage(ctx: { db: Pick<Sql, 'query'> }, conversationId: string): Promise<Message | null> {
  return loadBatched(ctx, 'lastMessage', conversationId, (ids: string[]) => lastMessagesOf(ctx.db, ids));
}
