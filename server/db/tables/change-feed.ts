import type { Conversation, Message } from '../../generated/prisma/client.ts';
import type { Sql } from '../database.ts';
import { optionalTime, tableColumns, time } from './columns.ts';
import { conversationFromRow } from './conversations.ts';
import { messageFromRow } from './messages.ts';

// The change feed's tables, together: message_changes, conversation_changes and contact_changes share one numbering
// (hatch_number_feed() in sql/change_feed.sql gives each committed change its position), so they
// are always read side by side; feed_head is the newest position given, feed_retention how far back
// they still reach. Rows are written only by the triggers; positions only by the numbering.
type Query = Pick<Sql, 'query'>;

// A change is written without a position (`seq`): the numbering gives it one after it commits.
export const messageChangeColumns = tableColumns('message_changes', ['id', 'seq', 'action', 'message_id', 'conversation_id', 'row', 'occurred_at'] as const, ['id', 'seq', 'occurred_at'] as const);
export const conversationChangeColumns = tableColumns('conversation_changes', ['id', 'seq', 'conversation_id', 'row', 'previous', 'occurred_at'] as const, ['id', 'seq', 'previous', 'occurred_at'] as const);
export const contactChangeColumns = tableColumns('contact_changes', ['id', 'seq', 'address', 'row', 'occurred_at'] as const, ['id', 'seq', 'occurred_at'] as const);
export const feedHeadColumns = tableColumns('feed_head', ['id', 'position'] as const, ['id', 'position'] as const);
export const feedRetentionColumns = tableColumns('feed_retention', ['id', 'pruned_through', 'pruned_at'] as const, ['id', 'pruned_through', 'pruned_at'] as const);

/** The most changes one read of either table returns. */
export const FEED_BATCH = 500;

/** One change to one message: the message as it was after the change (null after DELETE). */
export interface MessageChange {
  /** The change's position, as a string (positions outgrow JS numbers). */
  cursor: string;
  action: 'INSERT' | 'UPDATE' | 'DELETE';
  conversationId: string;
  messageId: string;
  occurredAt: Date;
  message: Message | null;
}

/** One change to one conversation: its row as it was after the change, and what it changed from. */
export interface ConversationChange {
  cursor: string;
  conversation: Conversation;
  occurredAt: Date;
  before: ConversationBefore | null;
}

/** What an UPDATE of a conversation changed from, for the fields webhooks tell of; null for an INSERT. */
export interface ConversationBefore {
  assigneeId: string | null;
  doneAt: Date | null;
  snoozedUntil: Date | null;
  noteCount: number;
}

/** One change to one contact: the row as it was after it. */
export interface ContactChange {
  cursor: string;
  occurredAt: Date;
  contact: { address: string; name: string | null; notes: string | null; optedOut: boolean; optedOutAt: Date | null; personId: string | null; updatedAt: Date };
}

interface MessageChangeRow {
  seq: string;
  action: MessageChange['action'];
  message_id: string;
  conversation_id: string;
  occurred_at: string | Date;
  row: Record<string, unknown>;
}

// Positions leave as text; the queries order by the table's column by its full name, since a bare
// ORDER BY "seq" would sort the text alias: "10" < "9".
const MESSAGE_CHANGE = `"seq"::text AS seq, "action", "message_id", "conversation_id", "occurred_at", "row"`;

const toMessageChange = (r: MessageChangeRow): MessageChange => ({
  cursor: r.seq,
  action: r.action,
  conversationId: r.conversation_id,
  messageId: r.message_id,
  occurredAt: time(r.occurred_at),
  message: r.action === 'DELETE' ? null : messageFromRow(r.row),
});

/** Message changes with `after < seq <= upTo`, oldest first, at most FEED_BATCH. */
export async function messageChangesBetween(sql: Query, after: bigint, upTo: bigint): Promise<MessageChange[]> {
  const rows = await sql.query<MessageChangeRow>(
    `SELECT ${MESSAGE_CHANGE} FROM "message_changes" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "message_changes"."seq" LIMIT ${FEED_BATCH}`,
    [after.toString(), upTo.toString()],
  );
  return rows.map(toMessageChange);
}

/** The message changes after `after` (in one conversation, if given), oldest first, at most FEED_BATCH. */
export async function messageChangesAfter(sql: Query, after: bigint, conversationId?: string): Promise<MessageChange[]> {
  const rows = await sql.query<MessageChangeRow>(
    conversationId
      ? `SELECT ${MESSAGE_CHANGE} FROM "message_changes" WHERE "conversation_id" = $2 AND "seq" > $1 ORDER BY "message_changes"."seq" LIMIT ${FEED_BATCH}`
      : `SELECT ${MESSAGE_CHANGE} FROM "message_changes" WHERE "seq" > $1 ORDER BY "message_changes"."seq" LIMIT ${FEED_BATCH}`,
    conversationId ? [after.toString(), conversationId] : [after.toString()],
  );
  return rows.map(toMessageChange);
}

/** Conversation changes with `after < seq <= upTo`, oldest first, at most FEED_BATCH. */
export async function conversationChangesBetween(sql: Query, after: bigint, upTo: bigint = 2n ** 63n - 1n): Promise<ConversationChange[]> {
  const rows = await sql.query<{ seq: string; row: Record<string, unknown>; previous: Record<string, unknown> | null; occurred_at: string | Date }>(
    `SELECT "seq"::text AS seq, "row", "previous", "occurred_at" FROM "conversation_changes" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "conversation_changes"."seq" LIMIT ${FEED_BATCH}`,
    [after.toString(), upTo.toString()],
  );
  return rows.map((r) => ({
    cursor: r.seq,
    conversation: conversationFromRow(r.row),
    occurredAt: time(r.occurred_at),
    before: r.previous && {
      assigneeId: (r.previous.assignee_id as string | null) ?? null,
      doneAt: optionalTime(r.previous.done_at),
      snoozedUntil: optionalTime(r.previous.snoozed_until),
      noteCount: Number(r.previous.note_count ?? 0),
    },
  }));
}

/** Contact changes after `after`, oldest first, at most FEED_BATCH. */
export async function contactChangesAfter(sql: Query, after: bigint): Promise<ContactChange[]> {
  const rows = await sql.query<{ seq: string; row: Record<string, unknown>; occurred_at: string | Date }>(
    `SELECT "seq"::text AS seq, "row", "occurred_at" FROM "contact_changes" WHERE "seq" > $1 ORDER BY "contact_changes"."seq" LIMIT ${FEED_BATCH}`,
    [after.toString()],
  );
  return rows.map(({ seq, row: c, occurred_at }) => ({
    cursor: seq,
    occurredAt: time(occurred_at),
    contact: {
      address: c.address as string,
      name: (c.name as string | null) ?? null,
      notes: (c.notes as string | null) ?? null,
      optedOut: c.opted_out === true,
      optedOutAt: optionalTime(c.opted_out_at),
      personId: (c.person_id as string | null) ?? null,
      updatedAt: time(c.updated_at as string),
    },
  }));
}

/** The newest position given: every change up to it is numbered and readable. */
export async function newestPosition(sql: Query): Promise<bigint> {
  const [row] = await sql.query<{ position: string }>('SELECT "position"::text AS position FROM "feed_head" WHERE "id" = 1');
  return BigInt(row?.position ?? '0');
}

/**
 * Gives every committed change without a position its position (see sql/change_feed.sql) and
 * returns the newest one. With `wait`, waits for a numbering running elsewhere; without, returns
 * undefined at once when one is running. With `known`, returns undefined (and the database sends no
 * row) unless the feed has gone past it: an idle server's periodic check reads nothing.
 */
export async function numberChanges(sql: Query, wait: boolean, known?: bigint): Promise<bigint | undefined> {
  const [row] = await sql.query<{ newest: string }>('SELECT n::text AS newest FROM hatch_number_feed($1) n WHERE n > $2', [wait, (known ?? -1n).toString()]);
  return row ? BigInt(row.newest) : undefined;
}

/** The position retention has pruned through: a resume from below it may have lost changes. */
export async function prunedThrough(sql: Query): Promise<bigint> {
  const [row] = await sql.query<{ through: string }>('SELECT "pruned_through"::text AS through FROM "feed_retention" WHERE "id" = 1');
  return BigInt(row?.through ?? '0');
}

/** Deletes up to `batch` changes of one table older than `cutoff`, and records how far it pruned; returns how many went. */
export async function pruneOlderThan(sql: Query, table: 'message_changes' | 'conversation_changes' | 'contact_changes', cutoff: Date, batch: number): Promise<number> {
  const [row] = await sql.query<{ n: number; max: string | null }>(
    `WITH gone AS (
       DELETE FROM "${table}" WHERE "seq" IN (
         SELECT "seq" FROM "${table}" WHERE "occurred_at" < $1 AND "seq" IS NOT NULL ORDER BY "seq" LIMIT ${batch})
       RETURNING "seq")
     SELECT count(*)::int AS n, MAX("seq")::text AS max FROM gone`,
    [cutoff],
  );
  if (!row || row.n === 0) return 0;
  await sql.query(`UPDATE "feed_retention" SET "pruned_through" = GREATEST("pruned_through", $1::bigint), "pruned_at" = now() WHERE "id" = 1`, [row.max]);
  return row.n;
}
