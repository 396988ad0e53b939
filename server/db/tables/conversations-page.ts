import type { Conversation, Message } from '../../generated/prisma/client.ts';
import type { Sql } from '../database.ts';
import type { Row } from './columns.ts';
import { readStateFromRow, type ReadState } from './conversation-reads.ts';
import { conversationFromRow } from './conversations.ts';
import { messageFromRow } from './messages.ts';
import { pageClauses, type AssigneeChoice, type ConversationFilter } from './conversation-search.ts';

/** A conversation of a page, with what the inbox shows of it. */
export interface PageEntry {
  conversation: Conversation;
  lastMessage: Message | null;
  /** The reader's read state (undefined: never read). */
  readState: ReadState | undefined;
}

/**
 * One page of the list, most recent activity first, each conversation with its newest message and
 * the reader's read state, in one statement: the inbox's most frequent request, which through the
 * ORM and two batched reads made two round trips in sequence. `take` is negative for the page
 * before `cursorId` (as Prisma's cursors go); the rows come back in list order either way.
 */
export async function conversationsPage(
  sql: Pick<Sql, 'query'>,
  page: { take: number; cursorId?: string },
  readerId: string,
  filter: ConversationFilter,
  assignee: AssigneeChoice,
): Promise<PageEntry[]> {
  const params: unknown[] = [readerId];
  const { where, order, backward } = pageClauses(params, filter, assignee, page);
  const rows = await sql.query<Row & { last_message: Row | null; read_count: number | null; last_read_at: string | Date | null; has_read: boolean }>(
    `SELECT c.*, to_jsonb(m) AS "last_message", r."read_count", r."last_read_at", r."reader_id" IS NOT NULL AS "has_read"
       FROM "conversations" c
       LEFT JOIN LATERAL (SELECT * FROM "messages" WHERE "conversation_id" = c."id" ORDER BY "created_at" DESC, "id" DESC LIMIT 1) m ON true
       LEFT JOIN "conversation_reads" r ON r."reader_id" = $1 AND r."conversation_id" = c."id"
      WHERE true ${where}
      ORDER BY c."last_message_at" ${order}, c."id" ${order}
      LIMIT $${params.push(Math.abs(page.take))}`,
    params,
  );
  const entries = rows.map((row) => ({
    conversation: conversationFromRow(row),
    lastMessage: row.last_message ? messageFromRow(row.last_message) : null,
    readState: row.has_read ? readStateFromRow(row) : undefined,
  }));
  return backward ? entries.reverse() : entries;
}
