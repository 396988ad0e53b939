import type { Conversation } from '../../generated/prisma/client.ts';
import type { Sql } from '../database.ts';
import { optionalTime, tableColumns, time, type Row } from './columns.ts';
import { isWorkingOperator } from './operators.ts';

type Query = Pick<Sql, 'query'>;

export const conversationColumns = tableColumns(
  'conversations',
  ['id', 'participant_a', 'participant_b', 'last_message_at', 'created_at', 'inbound_count', 'ours', 'done_at', 'updated_at', 'assignee_id', 'snoozed_until', 'snooze_woke_at', 'last_note_id', 'note_count', 'scheduled_changed_at'] as const,
  // A new conversation has had no activity and has received nothing, and is not done, assigned or snoozed yet, and has no notes.
  ['last_message_at', 'created_at', 'inbound_count', 'done_at', 'updated_at', 'assignee_id', 'snoozed_until', 'snooze_woke_at', 'last_note_id', 'note_count', 'scheduled_changed_at'] as const,
);

/** A `conversations` row as SQL or the change feed (`to_jsonb`) has it → the Prisma shape. */
export function conversationFromRow(row: Row): Conversation {
  return {
    id: row.id as string,
    participantA: row.participant_a as string,
    participantB: row.participant_b as string,
    lastMessageAt: time(row.last_message_at),
    createdAt: time(row.created_at),
    // Copies in the feed from before read state was kept per reader carry no count: none received since.
    inboundCount: Number(row.inbound_count ?? 0),
    ours: (row.ours ?? null) as string | null,
    doneAt: optionalTime(row.done_at),
    // Rows written before the column existed (old feed copies) carry none: their activity stands in.
    updatedAt: row.updated_at == null ? time(row.last_message_at) : time(row.updated_at),
    assigneeId: (row.assignee_id ?? null) as string | null,
    snoozedUntil: optionalTime(row.snoozed_until),
    snoozeWokeAt: optionalTime(row.snooze_woke_at),
    lastNoteId: (row.last_note_id ?? null) as string | null,
    noteCount: Number(row.note_count ?? 0),
    scheduledChangedAt: optionalTime(row.scheduled_changed_at),
  };
}

/**
 * The conversation with this id, created on first use with `ours` recorded (and `ours` filled in
 * on one that did not know it yet).
 */
export async function upsertConversation(tx: Query, c: { id: string; participantA: string; participantB: string; ours: string }): Promise<void> {
  await tx.query(
    `INSERT INTO "conversations" ("id", "participant_a", "participant_b", "ours") VALUES ($1, $2, $3, $4)
     ON CONFLICT ("id") DO UPDATE SET "ours" = EXCLUDED."ours", "updated_at" = now() WHERE "conversations"."ours" IS NULL`,
    [c.id, c.participantA, c.participantB, c.ours],
  );
}

/** Both participants of a conversation, and which side is ours when that is known. */
export async function participantsOf(sql: Query, id: string): Promise<{ participantA: string; participantB: string; ours: string | null } | undefined> {
  const [c] = await sql.query<{ participant_a: string; participant_b: string; ours: string | null }>(
    'SELECT "participant_a", "participant_b", "ours" FROM "conversations" WHERE "id" = $1',
    [id],
  );
  return c && { participantA: c.participant_a, participantB: c.participant_b, ours: c.ours };
}

/**
 * How a name is already spelt in a conversation `from` has, when it is written in another case:
 * "alice" goes to the conversation with "Alice" rather than starting a second one.
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

/** Brings a conversation marked done, or snoozed and not yet woken, back to the open list. */
export async function reopen(tx: Query, id: string): Promise<void> {
  await tx.query(
    `UPDATE "conversations" SET "done_at" = NULL, "snoozed_until" = NULL, "snooze_woke_at" = NULL, "updated_at" = now()
      WHERE "id" = $1 AND ("done_at" IS NOT NULL OR ("snoozed_until" IS NOT NULL AND "snooze_woke_at" IS NULL))`,
    [id],
  );
}

/**
 * Snoozes a conversation until `until` (null: ends a snooze), starting its marker afresh. Undefined
 * when there is no such conversation; as it already is, nothing changes and nobody is told.
 */
export async function snooze(sql: Query, id: string, until: Date | null): Promise<Conversation | undefined> {
  const [row] = await sql.query(
    `WITH changed AS (
       UPDATE "conversations" SET "snoozed_until" = $2::timestamptz, "snooze_woke_at" = NULL, "updated_at" = now()
        WHERE "id" = $1 AND ("snoozed_until" IS DISTINCT FROM $2::timestamptz OR "snooze_woke_at" IS NOT NULL)
        RETURNING *)
     SELECT * FROM changed UNION ALL SELECT * FROM "conversations" WHERE "id" = $1 AND NOT EXISTS (SELECT 1 FROM changed)`,
    [id, until],
  );
  return row ? conversationFromRow(row) : undefined;
}

/**
 * Wakes every conversation whose snooze has run out: back on top of the list (its activity time
 * becomes the wake-up time) with its marker. Each row is woken once, however many processes run
 * this at the same moment: the condition is checked again under the row's lock.
 */
export async function wakeSnoozed(sql: Query): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE "conversations" SET "snooze_woke_at" = now(), "last_message_at" = GREATEST("last_message_at", "snoozed_until"), "updated_at" = now()
      WHERE "snoozed_until" <= now() AND "snooze_woke_at" IS NULL RETURNING "id"`,
  );
  return rows.map((r) => r.id);
}

export type ConversationState = 'done' | 'open';

const CHANGES: Record<ConversationState, string> = {
  done: `"done_at" = COALESCE("done_at", now())`,
  open: `"done_at" = NULL`,
};
const UNLESS_ALREADY: Record<ConversationState, string> = { done: '"done_at" IS NULL', open: '"done_at" IS NOT NULL' };

/** Marks a conversation done or open again; returns it as it now is (undefined when there is none). */
export async function setState(sql: Query, id: string, state: ConversationState): Promise<Conversation | undefined> {
  const [row] = await sql.query(
    `WITH changed AS (
       UPDATE "conversations" SET ${CHANGES[state]}, "updated_at" = now()
        WHERE "id" = $1 AND ${UNLESS_ALREADY[state]}
        RETURNING *)
     SELECT * FROM changed UNION ALL SELECT * FROM "conversations" WHERE "id" = $1 AND NOT EXISTS (SELECT 1 FROM changed)`,
    [id],
  );
  return row ? conversationFromRow(row) : undefined;
}

/**
 * Gives a conversation to an operator (null: to nobody). Undefined when there is no such
 * conversation; 'no-operator' when `assigneeId` names no operator. Assigning it as it already is
 * changes nothing and tells nobody.
 */
export async function assign(sql: Query, id: string, assigneeId: string | null): Promise<Conversation | undefined | 'no-operator'> {
  if (assigneeId !== null) {
    // A disabled operator is no longer on the team: nothing can be given to them.
    if (!(await isWorkingOperator(sql, assigneeId))) return 'no-operator';
  }
  const [row] = await sql.query(
    `WITH changed AS (
       UPDATE "conversations" SET "assignee_id" = $2::uuid, "updated_at" = now()
        WHERE "id" = $1 AND "assignee_id" IS DISTINCT FROM $2::uuid
        RETURNING *)
     SELECT * FROM changed UNION ALL SELECT * FROM "conversations" WHERE "id" = $1 AND NOT EXISTS (SELECT 1 FROM changed)`,
    [id, assigneeId],
  );
  return row ? conversationFromRow(row) : undefined;
}

/** Gives every conversation assigned to an operator back to nobody (the change feed tells every window); how many. */
export async function unassignAllOf(tx: Query, operatorId: string): Promise<number> {
  return (await tx.query('UPDATE "conversations" SET "assignee_id" = NULL, "updated_at" = now() WHERE "assignee_id" = $1 RETURNING "id"', [operatorId])).length;
}

/** Touches every conversation with any of `addresses` (any case): an import that renamed many contacts. */
export async function touchConversationsOfEach(tx: Query, addresses: string[]): Promise<void> {
  if (addresses.length === 0) return;
  await tx.query(
    `UPDATE "conversations" SET "updated_at" = now()
      WHERE lower("participant_a") = ANY(ARRAY(SELECT lower(a) FROM unnest($1::text[]) a)) OR lower("participant_b") = ANY(ARRAY(SELECT lower(a) FROM unnest($1::text[]) a))`,
    [addresses],
  );
}

/** Every conversation id, most recent activity first (the order GraphQL's `conversations` uses), in one statement. */
export async function conversationOrder(sql: Query): Promise<string[]> {
  const rows = await sql.query<{ id: string }>('SELECT "id" FROM "conversations" ORDER BY "last_message_at" DESC, "id" DESC');
  return rows.map((r) => r.id);
}

export interface ConversationListRow {
  id: string;
  participantA: string;
  participantB: string;
  ours: string | null;
  lastMessageAt: Date;
  lastBody: string | null;
}

/** These conversations, in this order, each with the body of its newest message. */
export async function conversationsWithLastBody(sql: Query, ids: string[]): Promise<ConversationListRow[]> {
  const rows = await sql.query<{ id: string; participant_a: string; participant_b: string; ours: string | null; last_message_at: Date | string; last_body: string | null }>(
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
    lastMessageAt: time(r.last_message_at),
    lastBody: r.last_body,
  }));
}

/** One conversation an import needs, with the times of its first and last imported message. */
export interface ImportedConversation {
  id: string;
  participantA: string;
  participantB: string;
  ours: string;
  createdAt: string;
  lastMessageAt: string;
}

/** Creates the conversations an import needs (filling in `ours` where it was unknown). */
export async function importConversations(tx: Query, cs: ImportedConversation[]): Promise<void> {
  await tx.query(
    `INSERT INTO "conversations" ("id", "participant_a", "participant_b", "ours", "created_at", "last_message_at")
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
     ON CONFLICT ("id") DO UPDATE SET "ours" = EXCLUDED."ours" WHERE "conversations"."ours" IS NULL`,
    [cs.map((c) => c.id), cs.map((c) => c.participantA), cs.map((c) => c.participantB), cs.map((c) => c.ours), cs.map((c) => c.createdAt), cs.map((c) => c.lastMessageAt)],
  );
}

/** Brings these conversations' times into line with their messages: created no later than the first, active no earlier than the last. */
export async function alignTimesWithMessages(tx: Query, ids: string[]): Promise<void> {
  await tx.query(
    `UPDATE "conversations" c SET "created_at" = LEAST(c."created_at", m."first"), "last_message_at" = GREATEST(c."last_message_at", m."last")
       FROM (SELECT "conversation_id", min("created_at") AS "first", max("created_at") AS "last"
               FROM "messages" WHERE "conversation_id" = ANY($1::uuid[]) GROUP BY "conversation_id") m
      WHERE c."id" = m."conversation_id" AND (m."last" > c."last_message_at" OR m."first" < c."created_at")`,
    [ids],
  );
}
