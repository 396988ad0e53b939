import type { Message } from '../../generated/prisma/client.ts';
import type { Sql } from '../database.ts';
import { tableColumns, time, type Row } from './columns.ts';
import type { OptOutReason } from './contacts.ts';

type Query = Pick<Sql, 'query'>;

export const messageColumns = tableColumns(
  'messages',
  [
    'id',
    'conversation_id',
    'from',
    'to',
    'body',
    'direction',
    'channel',
    'status',
    'provider_sid',
    'error_code',
    'error_message',
    'idempotency_key',
    'sent_by_kind',
    'sent_by_id',
    'sent_by_name',
    'created_at',
    'updated_at',
  ] as const,
  // A provider's id and error come later; a key and an author id only where there is one.
  ['id', 'provider_sid', 'error_code', 'error_message', 'idempotency_key', 'sent_by_id', 'created_at', 'updated_at'] as const,
);

/**
 * A `messages` row as SQL returns it (snake_case columns) → the Prisma shape the schema resolves.
 * Used for rows from `INSERT … RETURNING *` and for the copies the change feed keeps
 * (`to_jsonb(row)`, where timestamps are ISO strings), so both read exactly as Prisma reads them.
 */
export function messageFromRow(row: Row): Message {
  const str = (k: string) => row[k] as string;
  const opt = (k: string) => (row[k] ?? null) as string | null;
  return {
    id: str('id'),
    conversationId: str('conversation_id'),
    from: str('from'),
    to: str('to'),
    body: str('body'),
    direction: str('direction') as Message['direction'],
    channel: str('channel') as Message['channel'],
    status: str('status') as Message['status'],
    providerSid: opt('provider_sid'),
    errorCode: opt('error_code'),
    errorMessage: opt('error_message'),
    idempotencyKey: opt('idempotency_key'),
    sentByKind: (row.sent_by_kind ?? 'SYSTEM') as Message['sentByKind'],
    sentById: opt('sent_by_id'),
    sentByName: opt('sent_by_name'),
    createdAt: time(row.created_at),
    updatedAt: time(row.updated_at),
  };
}

/** A message we send (or store). */
export interface NewOutbound {
  conversationId: string;
  from: string;
  to: string;
  body: string;
  channel: Message['channel'];
  status: 'QUEUED' | 'STORED';
  idempotencyKey: string | null;
  /** Who wrote it, as the `sent_by_*` columns record it. */
  author: { kind: Message['sentByKind']; id: string | null; name: string | null };
}

export interface Send extends Omit<NewOutbound, 'conversationId'> {
  /** The conversation of `from` and `to` as spelt: its id, and its participants in their order. */
  conversation: { id: string; participantA: string; participantB: string };
  /** `to` is a name: if a conversation of `from` has it in another case, send there, as spelt there. */
  matchSpelling: boolean;
  /** `to` is a number: refuse when it has opted out. */
  checkOptOut: boolean;
  /** Queue it for its channel's provider (SMS, WhatsApp). */
  queue: boolean;
  /** An approved template to send instead of free text (WhatsApp); `body` is its text as filled in. */
  template?: { sid: string; variables: Record<string, string> } | null;
}

export type SendOutcome =
  | { kind: 'created'; message: Message }
  /** A message with this idempotency key exists: it, and whom this request would have sent to. */
  | { kind: 'existing'; message: Message; to: string }
  | { kind: 'opted-out'; reason: OptOutReason | null };

/**
 * The whole write of a send in one statement (one round trip): the name as already spelt, the
 * message an idempotency key already names, the recipient's opt-out, the conversation (made on
 * first use), the message and its place in the outbox. Nothing is written when the key exists or
 * the recipient opted out. Two requests racing with one key: the loser's statement fails with a
 * unique violation (23505), and nothing of it is written.
 */
export async function sendInOneStatement(sql: Query, s: Send): Promise<SendOutcome> {
  const [row] = await sql.query<Row & { outcome: 'created' | 'existing' | 'opted-out'; target_to: string; opt_out_reason: OptOutReason | null }>(
    `WITH existing AS (SELECT * FROM "messages" WHERE $12::text IS NOT NULL AND "idempotency_key" = $12 AND "sent_by_id" IS NOT DISTINCT FROM $14::uuid),
     spelt AS (
       SELECT "id", CASE WHEN lower("participant_a") = lower($3) AND "participant_b" = $2 THEN "participant_a" ELSE "participant_b" END AS "name"
         FROM "conversations"
        WHERE $9 AND ((lower("participant_a") = lower($3) AND "participant_b" = $2) OR (lower("participant_b") = lower($3) AND "participant_a" = $2))
        ORDER BY "last_message_at" DESC, "id" DESC LIMIT 1),
     target AS (SELECT COALESCE((SELECT "id" FROM spelt), $1::uuid) AS "id", COALESCE((SELECT "name" FROM spelt), $3) AS "to"),
     blocked AS (SELECT "opt_out_reason" FROM "contacts" WHERE $10 AND lower("address") = lower($3) AND "opted_out"),
     go AS (SELECT t.* FROM target t WHERE NOT EXISTS (SELECT 1 FROM existing) AND NOT EXISTS (SELECT 1 FROM blocked)),
     conversation AS (
       INSERT INTO "conversations" ("id", "participant_a", "participant_b", "ours") SELECT go."id", $4, $5, $2 FROM go
       ON CONFLICT ("id") DO UPDATE SET "ours" = EXCLUDED."ours", "updated_at" = now() WHERE "conversations"."ours" IS NULL),
     created AS (
       INSERT INTO "messages" ("conversation_id", "from", "to", "body", "direction", "channel", "status", "idempotency_key",
                               "sent_by_kind", "sent_by_id", "sent_by_name")
       SELECT go."id", $2, go."to", $6, 'OUTBOUND', $7::"MessageChannel", $8::"MessageStatus", $12, $13::"SenderKind", $14::uuid, $15 FROM go
       RETURNING *),
     queued AS (INSERT INTO "sms_outbox" ("message_id", "content") SELECT "id", $16::jsonb FROM created WHERE $11)
     SELECT 'created' AS outcome, (SELECT "to" FROM target) AS target_to, NULL::"OptOutReason" AS opt_out_reason, created.* FROM created
     UNION ALL SELECT 'existing', (SELECT "to" FROM target), NULL, existing.* FROM existing
     UNION ALL SELECT 'opted-out', (SELECT "to" FROM target), (SELECT "opt_out_reason" FROM blocked), m.* FROM (SELECT 1) one
       LEFT JOIN "messages" m ON false WHERE EXISTS (SELECT 1 FROM blocked) AND NOT EXISTS (SELECT 1 FROM existing)`,
    [
      s.conversation.id,
      s.from,
      s.to,
      s.conversation.participantA,
      s.conversation.participantB,
      s.body,
      s.channel,
      s.status,
      s.matchSpelling,
      s.checkOptOut,
      s.queue,
      s.idempotencyKey,
      s.author.kind,
      s.author.id,
      s.author.name,
      s.template ? JSON.stringify(s.template) : null,
    ],
  );
  if (row!.outcome === 'opted-out') return { kind: 'opted-out', reason: row!.opt_out_reason };
  const { outcome, target_to: to, opt_out_reason: _reason, ...message } = row!;
  return outcome === 'created' ? { kind: 'created', message: messageFromRow(message) } : { kind: 'existing', message: messageFromRow(message), to };
}

export interface NewInbound {
  conversationId: string;
  from: string;
  to: string;
  body: string;
  channel: Message['channel'];
  providerSid: string;
}

/** A message someone sent us; undefined when this provider id is stored already (a retried webhook). */
export async function insertInbound(tx: Query, m: NewInbound): Promise<string | undefined> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO "messages" ("conversation_id", "from", "to", "body", "direction", "channel", "status", "provider_sid", "sent_by_kind", "sent_by_name")
     VALUES ($1, $2, $3, $4, 'INBOUND', $6, 'RECEIVED', $5, 'SMS_CONTACT', $2)
     ON CONFLICT ("provider_sid") DO NOTHING RETURNING "id"`,
    [m.conversationId, m.from, m.to, m.body, m.providerSid, m.channel],
  );
  return row?.id;
}

/** Whether the conversation received a message in the last hour (by the database's clock). */
export async function receivedWithinHour(sql: Query, conversationId: string): Promise<boolean> {
  const rows = await sql.query(
    `SELECT 1 FROM "messages" WHERE "conversation_id" = $1 AND "direction" = 'INBOUND' AND "created_at" > now() - interval '1 hour' LIMIT 1`,
    [conversationId],
  );
  return rows.length > 0;
}

/** When the other side of a conversation last wrote: its newest inbound message, as a page reads it. */
export async function lastInboundAt(sql: Query, conversationId: string): Promise<Date | undefined> {
  const [last] = await messagesByConversation(sql, [conversationId], { inboundOnly: true });
  return last?.createdAt;
}

/** The message `authorId` sent with this key (keys are scoped to their author). */
export async function messageByIdempotencyKey(sql: Query, key: string, authorId: string | null): Promise<Message | undefined> {
  const [row] = await sql.query('SELECT * FROM "messages" WHERE "idempotency_key" = $1 AND "sent_by_id" IS NOT DISTINCT FROM $2::uuid', [key, authorId]);
  return row ? messageFromRow(row) : undefined;
}

/**
 * How many messages `authorId` sent in the last minute, and when the oldest of them was. Counted one
 * sender at a time (a lock until the transaction ends), so concurrent sends cannot all slip under a limit.
 */
export async function sentInLastMinute(tx: Query, authorId: string): Promise<{ n: number; oldest: Date | null }> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('hatch-send:' || $1::text, 0))`, [authorId]);
  const [row] = await tx.query<{ n: number; oldest: Date | null }>(
    `SELECT count(*)::int AS n, min("created_at") AS oldest FROM "messages"
      WHERE "sent_by_id" = $1 AND "created_at" > now() - interval '1 minute'`,
    [authorId],
  );
  return { n: row!.n, oldest: row!.oldest == null ? null : time(row!.oldest) };
}

/** The provider took the message: its id, and its status unless a report already moved it on. */
export async function recordHandedOver(tx: Query, id: string, providerSid: string, status: string): Promise<void> {
  await tx.query(
    `UPDATE "messages" SET "provider_sid" = $2,
        "status" = CASE WHEN "status" = 'QUEUED' THEN $3::"MessageStatus" ELSE "status" END
      WHERE "id" = $1`,
    [id, providerSid, status],
  );
}

export async function markFailed(tx: Query, id: string, errorCode: string | null, errorMessage: string): Promise<void> {
  await tx.query(`UPDATE "messages" SET "status" = 'FAILED', "error_code" = $2, "error_message" = $3 WHERE "id" = $1`, [id, errorCode, errorMessage]);
}

// Statuses only move forward: a late "sent" after "delivered" must not move a message back.
// The three final statuses share a rank, so the first final word wins. WhatsApp's READ comes after DELIVERED (rank 4), so a late "delivered" never undoes it.
const RANK_SQL = `CASE %s WHEN 'QUEUED' THEN 0 WHEN 'SENDING' THEN 1 WHEN 'SENT' THEN 2 WHEN 'READ' THEN 4 ELSE 3 END`;
const rank = (expr: string) => RANK_SQL.replace('%s', expr);

/** Moves an outbound message to `status` if that is forward; returns whether it moved. */
export async function advanceStatus(
  sql: Query,
  providerSid: string,
  change: { status: string; errorCode: string | null; errorMessage: string | null },
): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE "messages" SET "status" = $2::"MessageStatus",
        "error_code" = COALESCE($3, "error_code"), "error_message" = COALESCE($4, "error_message")
      WHERE "provider_sid" = $1 AND "direction" = 'OUTBOUND'
        AND ${rank('"status"::text')} < ${rank('$2::text')}
      RETURNING "id"`,
    [providerSid, change.status, change.errorCode, change.errorMessage],
  );
  return rows.length > 0;
}

/** Who a message the provider knows by `providerSid` went to. */
export async function recipientOf(sql: Query, providerSid: string): Promise<string | undefined> {
  const [row] = await sql.query<{ to: string }>('SELECT "to" FROM "messages" WHERE "provider_sid" = $1', [providerSid]);
  return row?.to;
}

/**
 * One message of each conversation asked for, in one query: each conversation's messages walked by
 * index from the newest end (inbound ones only when `inboundOnly`), skipping `skip[i]` of them.
 * Null where a conversation has none that far back. Prisma cannot say this for a page: a nested
 * `take: 1` reads every message of every conversation and keeps one of each in memory.
 */
export async function messagesByConversation(sql: Query, ids: string[], opts: { skip?: number[]; inboundOnly?: boolean } = {}): Promise<(Message | null)[]> {
  if (ids.length === 0) return [];
  const skip = opts.skip ?? ids.map(() => 0);
  const rows = await sql.query<Row & { key: string }>(
    `SELECT c."id"::text AS "key", m.* FROM unnest($1::uuid[], $2::int[]) AS c("id", "skip")
       CROSS JOIN LATERAL (
         SELECT * FROM "messages" WHERE "conversation_id" = c."id" ${opts.inboundOnly ? `AND "direction" = 'INBOUND'` : ''}
          ORDER BY "created_at" DESC, "id" DESC OFFSET c."skip" LIMIT 1) m`,
    [ids, skip],
  );
  const byKey = new Map(rows.map(({ key, ...row }) => [key, messageFromRow(row)]));
  return ids.map((id) => byKey.get(id) ?? null);
}

/** A page of a conversation's messages, oldest first, after `after` (the last message of the previous page). */
export async function messagesOldestFirst(sql: Query, conversationId: string, after: Pick<Message, 'createdAt' | 'id'> | undefined, limit: number): Promise<Message[]> {
  const rows = after
    ? await sql.query(
        `SELECT * FROM "messages" WHERE "conversation_id" = $1 AND ("created_at", "id") > ($2, $3::uuid)
          ORDER BY "created_at", "id" LIMIT ${limit}`,
        [conversationId, after.createdAt, after.id],
      )
    : await sql.query(`SELECT * FROM "messages" WHERE "conversation_id" = $1 ORDER BY "created_at", "id" LIMIT ${limit}`, [conversationId]);
  return rows.map(messageFromRow);
}

/** An old message as the legacy import writes it. */
export interface ImportedMessage {
  id: string;
  conversationId: string;
  from: string;
  to: string;
  body: string;
  direction: string;
  channel: string;
  status: string;
  sentByKind: string;
  sentByName: string | null;
  createdAt: string;
}

/** Which of these ids Hatch has already: true when it is the same message, false when another one has that id. */
export async function existingMessages(tx: Query, rows: ImportedMessage[]): Promise<Map<string, boolean>> {
  const found = await tx.query<{ id: string; same: boolean }>(
    `SELECT m."id"::text AS id,
            (m."from" = i."from" AND m."to" = i."to" AND m."body" = i."body" AND m."created_at" = i."at"::timestamptz(3)) AS same
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS i("id", "from", "to", "body", "at")
       JOIN "messages" m ON m."id" = i."id"`,
    [rows.map((r) => r.id), rows.map((r) => r.from), rows.map((r) => r.to), rows.map((r) => r.body), rows.map((r) => r.createdAt)],
  );
  return new Map(found.map((r) => [r.id, r.same]));
}

/** Writes old messages in one statement, keeping their ids and times; returns how many were new. */
export async function importMessages(tx: Query, rows: ImportedMessage[]): Promise<number> {
  const col = <K extends keyof ImportedMessage>(k: K) => rows.map((r) => r[k]);
  const [row] = await tx.query<{ n: number }>(
    `WITH written AS (
       INSERT INTO "messages" ("id", "conversation_id", "from", "to", "body", "direction", "channel", "status",
                               "sent_by_kind", "sent_by_name", "created_at", "updated_at")
       SELECT i."id", i."conversation_id", i."from", i."to", i."body", i."direction"::"MessageDirection", i."channel"::"MessageChannel",
              i."status"::"MessageStatus", i."sent_by_kind"::"SenderKind", i."sent_by_name", i."created_at", i."created_at"
         -- The enums travel as text[]: the embedded database's client cannot encode an array of an enum type.
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
           AS i("id", "conversation_id", "from", "to", "body", "direction", "channel", "status", "sent_by_kind", "sent_by_name", "created_at")
       ON CONFLICT ("id") DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
    [col('id'), col('conversationId'), col('from'), col('to'), col('body'), col('direction'), col('channel'), col('status'), col('sentByKind'), col('sentByName'), col('createdAt')],
  );
  return row!.n;
}
