import type { ScheduledMessage } from '../../generated/prisma/client.ts';
import type { Author } from '../../modules/access/principal.ts';
import type { Sql } from '../database.ts';
import { optionalTime, tableColumns, time, type Row } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const scheduledMessageColumns = tableColumns(
  'scheduled_messages',
  ['id', 'conversation_id', 'from', 'to', 'body', 'channel', 'send_at', 'status', 'idempotency_key', 'sent_by_kind', 'sent_by_id', 'sent_by_name', 'message_id', 'error_code', 'error_message', 'lease_until', 'created_at', 'updated_at'] as const,
  ['id', 'status', 'message_id', 'error_code', 'error_message', 'lease_until', 'created_at', 'updated_at'] as const,
);

export type ScheduledStatus = 'SCHEDULED' | 'SENT' | 'FAILED' | 'CANCELLED';

export function scheduledFromRow(r: Row): ScheduledMessage {
  return {
    id: r.id as string,
    conversationId: r.conversation_id as string,
    from: r.from as string,
    to: r.to as string,
    body: r.body as string,
    channel: r.channel as ScheduledMessage['channel'],
    sendAt: time(r.send_at),
    status: r.status as string,
    idempotencyKey: (r.idempotency_key ?? null) as string | null,
    sentByKind: r.sent_by_kind as ScheduledMessage['sentByKind'],
    sentById: (r.sent_by_id ?? null) as string | null,
    sentByName: (r.sent_by_name ?? null) as string | null,
    messageId: (r.message_id ?? null) as string | null,
    errorCode: (r.error_code ?? null) as string | null,
    errorMessage: (r.error_message ?? null) as string | null,
    leaseUntil: optionalTime(r.lease_until),
    createdAt: time(r.created_at),
    updatedAt: time(r.updated_at),
  };
}

/** Tells every open window of the conversation (through the change feed) to read its scheduled messages again. */
export async function touchScheduled(tx: Query, conversationId: string): Promise<void> {
  await tx.query(`UPDATE "conversations" SET "scheduled_changed_at" = now(), "updated_at" = now() WHERE "id" = $1`, [conversationId]);
}

export interface NewScheduled {
  conversationId: string;
  from: string;
  to: string;
  body: string;
  channel: ScheduledMessage['channel'];
  sendAt: Date;
  idempotencyKey: string | null;
  author: Author;
}

/** Keeps a message to send later; undefined when this author's idempotency key was used already. */
export async function insertScheduled(tx: Query, s: NewScheduled): Promise<ScheduledMessage | undefined> {
  const [row] = await tx.query(
    `INSERT INTO "scheduled_messages" ("conversation_id", "from", "to", "body", "channel", "send_at", "idempotency_key", "sent_by_kind", "sent_by_id", "sent_by_name")
     VALUES ($1, $2, $3, $4, $5::"MessageChannel", $6, $7, $8::"SenderKind", $9::uuid, $10)
     ON CONFLICT ("sent_by_id", "idempotency_key") DO NOTHING RETURNING *`,
    [s.conversationId, s.from, s.to, s.body, s.channel, s.sendAt, s.idempotencyKey, s.author.kind, s.author.id, s.author.name],
  );
  if (!row) return undefined;
  await touchScheduled(tx, s.conversationId);
  return scheduledFromRow(row);
}

/** The scheduled message this author made with this key. */
export async function scheduledByKey(sql: Query, key: string, authorId: string | null): Promise<ScheduledMessage | undefined> {
  const [row] = await sql.query(`SELECT * FROM "scheduled_messages" WHERE "idempotency_key" = $1 AND "sent_by_id" IS NOT DISTINCT FROM $2::uuid`, [key, authorId]);
  return row && scheduledFromRow(row);
}

export async function scheduledById(sql: Query, id: string, lock = false): Promise<ScheduledMessage | undefined> {
  const [row] = await sql.query(`SELECT * FROM "scheduled_messages" WHERE "id" = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row && scheduledFromRow(row);
}

/** A conversation's messages still to send, and those that could not be sent (until dismissed), by when they were due. */
export async function pendingScheduled(sql: Query, conversationId: string): Promise<ScheduledMessage[]> {
  const rows = await sql.query(
    `SELECT * FROM "scheduled_messages" WHERE "conversation_id" = $1 AND "status" IN ('SCHEDULED', 'FAILED') ORDER BY "send_at", "id"`,
    [conversationId],
  );
  return rows.map(scheduledFromRow);
}

/** Changes what a waiting message says or when it goes (undefined keeps it). */
export async function updateScheduled(tx: Query, id: string, c: { body?: string; sendAt?: Date }): Promise<ScheduledMessage> {
  const [row] = await tx.query(
    `UPDATE "scheduled_messages" SET "body" = COALESCE($2, "body"), "send_at" = COALESCE($3, "send_at"), "updated_at" = now() WHERE "id" = $1 RETURNING *`,
    [id, c.body ?? null, c.sendAt ?? null],
  );
  const s = scheduledFromRow(row!);
  await touchScheduled(tx, s.conversationId);
  return s;
}

export async function setScheduledStatus(tx: Query, id: string, status: ScheduledStatus, extra: { messageId?: string; errorCode?: string; errorMessage?: string } = {}): Promise<ScheduledMessage | undefined> {
  const [row] = await tx.query(
    `UPDATE "scheduled_messages" SET "status" = $2, "message_id" = COALESCE($3::uuid, "message_id"), "error_code" = $4, "error_message" = $5, "lease_until" = NULL, "updated_at" = now()
      WHERE "id" = $1 RETURNING *`,
    [id, status, extra.messageId ?? null, extra.errorCode ?? null, extra.errorMessage ?? null],
  );
  if (!row) return undefined;
  const s = scheduledFromRow(row);
  await touchScheduled(tx, s.conversationId);
  return s;
}

/**
 * Takes up to `limit` messages due at `now` that no replica is sending, each for `leaseMs`: a
 * replica that dies while sending loses them after that, and the next sends them with the same
 * idempotency key (the same message, not a second one).
 */
export async function claimDue(sql: Query, now: Date, leaseMs: number, limit: number): Promise<ScheduledMessage[]> {
  const rows = await sql.query(
    `UPDATE "scheduled_messages" s SET "lease_until" = now() + $2 * interval '1 millisecond'
      WHERE s."id" IN (
        SELECT "id" FROM "scheduled_messages"
         WHERE "status" = 'SCHEDULED' AND "send_at" <= $1 AND ("lease_until" IS NULL OR "lease_until" < now())
         ORDER BY "send_at", "id" LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING s.*`,
    [now, leaseMs, limit],
  );
  return rows.map(scheduledFromRow).sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.id.localeCompare(b.id));
}

/** Not sent yet (over the rate limit, or quiet hours): tried again at `at`. */
export async function postpone(tx: Query, id: string, at: Date): Promise<void> {
  const [row] = await tx.query<{ conversation_id: string }>(
    `UPDATE "scheduled_messages" SET "send_at" = $2, "lease_until" = NULL, "updated_at" = now() WHERE "id" = $1 AND "status" = 'SCHEDULED' RETURNING "conversation_id"`,
    [id, at],
  );
  if (row) await touchScheduled(tx, row.conversation_id);
}
