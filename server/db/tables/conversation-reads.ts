import type { Conversation } from '../../generated/prisma/client.ts';
import type { Sql } from '../database.ts';
import { conversationFromRow } from './conversations.ts';
import { optionalTime, tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const conversationReadColumns = tableColumns(
  'conversation_reads',
  ['reader_id', 'conversation_id', 'read_count', 'last_read_at'] as const,
  // A reader given a count without reading (a new reader's start, Mark unread) has no read time.
  ['last_read_at'] as const,
);

/** How much of one conversation one reader has read (no row: nothing). */
export interface ReadState {
  readCount: number;
  lastReadAt: Date | null;
}

/** One reader's read state of these conversations, in their order (undefined: never read). */
export async function readStates(sql: Query, readerId: string, conversationIds: string[]): Promise<(ReadState | undefined)[]> {
  const rows = await sql.query<{ conversation_id: string; read_count: number; last_read_at: Date | string | null }>(
    `SELECT "conversation_id", "read_count", "last_read_at" FROM "conversation_reads" WHERE "reader_id" = $1 AND "conversation_id" = ANY($2::uuid[])`,
    [readerId, conversationIds],
  );
  const byId = new Map(rows.map((r) => [r.conversation_id, readStateFromRow(r)]));
  return conversationIds.map((id) => byId.get(id));
}

/** A `conversation_reads` row's columns → a ReadState. */
export function readStateFromRow(row: { read_count: unknown; last_read_at: unknown }): ReadState {
  return { readCount: Number(row.read_count), lastReadAt: optionalTime(row.last_read_at) };
}

/**
 * Marks a conversation read by this reader: everything it has received, read now. The conversation
 * row is touched in the same statement, so the change feed tells every window (each reader's own
 * count is read when the event is delivered). Undefined when there is no such conversation.
 */
export async function markRead(sql: Query, id: string, readerId: string): Promise<Conversation | undefined> {
  const [row] = await sql.query(
    `WITH c AS (UPDATE "conversations" SET "updated_at" = now() WHERE "id" = $1 RETURNING *),
          r AS (INSERT INTO "conversation_reads" ("reader_id", "conversation_id", "read_count", "last_read_at")
                SELECT $2, "id", "inbound_count", now() FROM c
                ON CONFLICT ("reader_id", "conversation_id") DO UPDATE SET "read_count" = EXCLUDED."read_count", "last_read_at" = EXCLUDED."last_read_at")
     SELECT * FROM c`,
    [id, readerId],
  );
  return row ? conversationFromRow(row) : undefined;
}

/**
 * Marks the newest message from the other side unread again for this reader (at least one,
 * however many were), keeping when it last read. When something is already unread for it, nothing
 * changes and nobody is told. Undefined when there is no such conversation.
 */
export async function markUnread(sql: Query, id: string, readerId: string): Promise<Conversation | undefined> {
  const [row] = await sql.query(
    `WITH c AS (
       UPDATE "conversations" SET "updated_at" = now()
        WHERE "id" = $1
          AND "inbound_count" <= COALESCE((SELECT "read_count" FROM "conversation_reads" WHERE "reader_id" = $2 AND "conversation_id" = $1), 0)
        RETURNING *),
          r AS (INSERT INTO "conversation_reads" ("reader_id", "conversation_id", "read_count")
                SELECT $2, "id", "inbound_count" - 1 FROM c
                ON CONFLICT ("reader_id", "conversation_id") DO UPDATE SET "read_count" = EXCLUDED."read_count")
     SELECT * FROM c UNION ALL SELECT * FROM "conversations" WHERE "id" = $1 AND NOT EXISTS (SELECT 1 FROM c)`,
    [id, readerId],
  );
  return row ? conversationFromRow(row) : undefined;
}
