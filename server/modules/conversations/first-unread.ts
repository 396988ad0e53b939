import type { Sql } from '../../db/database.ts';
import type { Message } from '../../generated/prisma/client.ts';
import { loadBatched } from '../contacts/batch.ts';
import { messageFromRow } from '../messages/message-row.ts';

interface Key {
  id: string;
  unreadCount: number;
}

/**
 * The oldest unread message of each conversation: the `unreadCount`-th newest from the other side
 * (the count the change feed's trigger keeps: messages that came in since the conversation was
 * last read). One query for all asked together, each walking its conversation's newest messages
 * by index, back as far as its unread count.
 */
async function firstUnreadOf(sql: Pick<Sql, 'query'>, keys: Key[]): Promise<(Message | null)[]> {
  const asked = keys.filter((k) => k.unreadCount > 0);
  if (asked.length === 0) return keys.map(() => null);
  const rows = await sql.query<Record<string, unknown> & { key: string }>(
    `SELECT c."id"::text AS "key", m.* FROM unnest($1::uuid[], $2::int[]) AS c("id", "n")
       CROSS JOIN LATERAL (
         SELECT * FROM "messages" WHERE "conversation_id" = c."id" AND "direction" = 'INBOUND'
          ORDER BY "created_at" DESC, "id" DESC OFFSET c."n" - 1 LIMIT 1) m`,
    [asked.map((k) => k.id), asked.map((k) => k.unreadCount)],
  );
  const byKey = new Map(rows.map(({ key, ...row }) => [key, messageFromRow(row)]));
  return keys.map((k) => (k.unreadCount > 0 ? (byKey.get(k.id) ?? null) : null));
}

export function loadFirstUnread(ctx: { db: Pick<Sql, 'query'> }, key: Key): Promise<Message | null> {
  return loadBatched(ctx, 'firstUnread', key, (keys: Key[]) => firstUnreadOf(ctx.db, keys));
}
