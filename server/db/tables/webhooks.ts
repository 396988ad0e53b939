import type { Sql } from '../database.ts';
import { optionalTime, tableColumns, time } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const webhookEndpointColumns = tableColumns(
  'webhook_endpoints',
  ['id', 'url', 'description', 'events', 'enabled', 'disabled_reason', 'secret', 'previous_secret', 'previous_secret_until', 'position', 'failing_since', 'lease_until', 'created_at', 'updated_at'] as const,
  ['id', 'description', 'enabled', 'disabled_reason', 'previous_secret', 'previous_secret_until', 'failing_since', 'lease_until', 'created_at', 'updated_at'] as const,
);
export const webhookDeliveryColumns = tableColumns(
  'webhook_deliveries',
  ['id', 'seq', 'endpoint_id', 'webhook_id', 'event_type', 'payload', 'conversation_id', 'address', 'status', 'attempts', 'next_attempt_at', 'last_attempt_at', 'last_status_code', 'last_duration_ms', 'last_response', 'last_error', 'created_at', 'delivered_at'] as const,
  ['id', 'seq', 'address', 'status', 'attempts', 'next_attempt_at', 'last_attempt_at', 'last_status_code', 'last_duration_ms', 'last_response', 'last_error', 'created_at', 'delivered_at'] as const,
);

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  /** The secrets that sign now: the current one, and the previous one while it is honoured. */
  secrets: string[];
  position: bigint;
  failingSince: Date | null;
  createdAt: Date;
}

const ENDPOINT = `"id", "url", "description", "events", "enabled", "disabled_reason", "secret",
  CASE WHEN "previous_secret_until" > now() THEN "previous_secret" END AS previous_secret,
  "position"::text AS position, "failing_since", "created_at"`;

function endpointFromRow(r: Record<string, unknown>): WebhookEndpointRow {
  return {
    id: r.id as string,
    url: r.url as string,
    description: r.description as string,
    events: r.events as string[],
    enabled: r.enabled as boolean,
    disabledReason: r.disabled_reason as string | null,
    secrets: [r.secret as string, ...(r.previous_secret ? [r.previous_secret as string] : [])],
    position: BigInt(r.position as string),
    failingSince: optionalTime(r.failing_since),
    createdAt: time(r.created_at),
  };
}

export async function insertEndpoint(tx: Query, e: { url: string; description: string; events: string[]; secret: string; position: bigint }): Promise<WebhookEndpointRow> {
  const [row] = await tx.query(
    `INSERT INTO "webhook_endpoints" ("url", "description", "events", "secret", "position") VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT}`,
    [e.url, e.description, e.events, e.secret, e.position.toString()],
  );
  return endpointFromRow(row!);
}

export async function endpoints(sql: Query): Promise<WebhookEndpointRow[]> {
  return (await sql.query(`SELECT ${ENDPOINT} FROM "webhook_endpoints" ORDER BY "created_at", "id"`)).map(endpointFromRow);
}

export async function endpointById(sql: Query, id: string): Promise<WebhookEndpointRow | undefined> {
  const [row] = await sql.query(`SELECT ${ENDPOINT} FROM "webhook_endpoints" WHERE "id" = $1`, [id]);
  return row && endpointFromRow(row);
}

/**
 * Changes what was given (undefined keeps it). Enabling again clears why it was disabled and how
 * long it had been failing; its queue goes on where it stopped.
 */
export async function updateEndpoint(
  tx: Query,
  id: string,
  c: { url?: string; description?: string; events?: string[]; enabled?: boolean },
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await tx.query(
    `UPDATE "webhook_endpoints" SET
       "url" = COALESCE($2, "url"), "description" = COALESCE($3, "description"), "events" = COALESCE($4, "events"),
       "enabled" = COALESCE($5, "enabled"),
       "disabled_reason" = CASE WHEN $5 THEN NULL ELSE "disabled_reason" END,
       "failing_since" = CASE WHEN $5 THEN NULL ELSE "failing_since" END,
       "updated_at" = now()
     WHERE "id" = $1 RETURNING ${ENDPOINT}`,
    [id, c.url ?? null, c.description ?? null, c.events ?? null, c.enabled ?? null],
  );
  return row && endpointFromRow(row);
}

/** A new secret; the one it replaces keeps signing for `overlapMs` so receivers can change over. */
export async function rotateSecret(tx: Query, id: string, secret: string, overlapMs: number): Promise<WebhookEndpointRow | undefined> {
  const [row] = await tx.query(
    `UPDATE "webhook_endpoints" SET "previous_secret" = "secret", "previous_secret_until" = now() + $3 * interval '1 millisecond', "secret" = $2, "updated_at" = now()
      WHERE "id" = $1 RETURNING ${ENDPOINT}`,
    [id, secret, overlapMs],
  );
  return row && endpointFromRow(row);
}

export async function deleteEndpoint(tx: Query, id: string): Promise<boolean> {
  return (await tx.query(`DELETE FROM "webhook_endpoints" WHERE "id" = $1 RETURNING "id"`, [id])).length > 0;
}

export async function anyEnabledEndpoint(sql: Query): Promise<boolean> {
  return (await sql.query(`SELECT 1 FROM "webhook_endpoints" WHERE "enabled" LIMIT 1`)).length > 0;
}

/** The endpoints that take events, each locked for the caller's transaction (skipping one another replica holds). */
export async function lockEndpointsToFill(tx: Query): Promise<WebhookEndpointRow[]> {
  return (await tx.query(`SELECT ${ENDPOINT} FROM "webhook_endpoints" WHERE "enabled" ORDER BY "id" FOR UPDATE SKIP LOCKED`)).map(endpointFromRow);
}

/** One endpoint, locked for the caller's transaction (a replay queues while nothing else does). */
export async function lockEndpoint(tx: Query, id: string): Promise<WebhookEndpointRow | undefined> {
  const [row] = await tx.query(`SELECT ${ENDPOINT} FROM "webhook_endpoints" WHERE "id" = $1 FOR UPDATE`, [id]);
  return row && endpointFromRow(row);
}

export async function setPosition(tx: Query, id: string, position: bigint): Promise<void> {
  await tx.query(`UPDATE "webhook_endpoints" SET "position" = $2 WHERE "id" = $1`, [id, position.toString()]);
}

export interface NewDelivery {
  webhookId: string;
  type: string;
  payload: unknown;
  conversationId: string | null;
  /** The contact a contact event is about (erasing them forgets the delivery). */
  address?: string | null;
}

export async function queueDeliveries(tx: Query, endpointId: string, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO "webhook_deliveries" ("endpoint_id", "webhook_id", "event_type", "payload", "conversation_id", "address")
     SELECT $1, w, t, p::jsonb, c::uuid, a FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r(w, t, p, c, a, n) ORDER BY n`,
    [endpointId, rows.map((r) => r.webhookId), rows.map((r) => r.type), rows.map((r) => JSON.stringify(r.payload)), rows.map((r) => r.conversationId), rows.map((r) => r.address ?? null)],
  );
}

/**
 * Takes, for `leaseMs`, up to `limit` enabled endpoints whose oldest waiting delivery is due and
 * that no replica holds: each endpoint's queue is delivered by one replica at a time, in order.
 */
export async function leaseDueEndpoints(sql: Query, leaseMs: number, limit: number): Promise<WebhookEndpointRow[]> {
  const rows = await sql.query(
    `UPDATE "webhook_endpoints" e SET "lease_until" = now() + $1 * interval '1 millisecond'
      WHERE e."id" IN (
        SELECT x."id" FROM "webhook_endpoints" x
         WHERE x."enabled" AND (x."lease_until" IS NULL OR x."lease_until" < now())
           AND (SELECT d."next_attempt_at" <= now() FROM "webhook_deliveries" d
                 WHERE d."endpoint_id" = x."id" AND d."status" = 'PENDING' ORDER BY d."seq" LIMIT 1)
         ORDER BY x."id" LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING ${ENDPOINT}`,
    [leaseMs, limit],
  );
  return rows.map(endpointFromRow);
}

export async function releaseLease(sql: Query, id: string): Promise<void> {
  await sql.query(`UPDATE "webhook_endpoints" SET "lease_until" = NULL WHERE "id" = $1`, [id]);
}

export interface DueDelivery {
  id: string;
  webhookId: string;
  payload: string;
  attempts: number;
  due: boolean;
}

/** An endpoint's oldest waiting deliveries (up to `limit`, in order), each with whether it is due. */
export async function oldestWaiting(sql: Query, endpointId: string, limit: number): Promise<DueDelivery[]> {
  const rows = await sql.query<{ id: string; webhook_id: string; payload: string; attempts: number; due: boolean }>(
    `SELECT "id", "webhook_id", "payload"::text AS payload, "attempts", "next_attempt_at" <= now() AS due
       FROM "webhook_deliveries" WHERE "endpoint_id" = $1 AND "status" = 'PENDING' ORDER BY "seq" LIMIT $2`,
    [endpointId, limit],
  );
  return rows.map((row) => ({ id: row.id, webhookId: row.webhook_id, payload: row.payload, attempts: row.attempts, due: row.due }));
}

export interface Delivered {
  id: string;
  status: number;
  durationMs: number;
  answer: string;
}

/**
 * Deliveries the endpoint accepted, recorded together (a crash before this sends them again, with
 * their ids: at least once); the endpoint is well again.
 */
export async function recordDelivered(tx: Query, endpointId: string, done: Delivered[]): Promise<void> {
  if (done.length === 0) return;
  await tx.query(
    `UPDATE "webhook_deliveries" d SET "status" = 'DELIVERED', "attempts" = d."attempts" + 1, "last_attempt_at" = now(), "delivered_at" = now(),
       "last_status_code" = r.code, "last_duration_ms" = r.ms, "last_response" = r.answer, "last_error" = NULL
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[]) AS r(id, code, ms, answer) WHERE d."id" = r.id`,
    [done.map((d) => d.id), done.map((d) => d.status), done.map((d) => d.durationMs), done.map((d) => d.answer)],
  );
  await tx.query(`UPDATE "webhook_endpoints" SET "failing_since" = NULL WHERE "id" = $1 AND "failing_since" IS NOT NULL`, [endpointId]);
}

/**
 * A failed attempt: tried again after `retryInMs`. An endpoint failing for longer than
 * `disableAfterMs` is disabled, with why; its queue waits for it to be enabled again.
 */
export async function recordFailed(
  tx: Query,
  d: { id: string; endpointId: string; status: number | null; durationMs: number; answer: string | null; error: string | null; retryInMs: number; disableAfterMs: number },
): Promise<{ disabled: boolean }> {
  await tx.query(
    `UPDATE "webhook_deliveries" SET "attempts" = "attempts" + 1, "last_attempt_at" = now(), "next_attempt_at" = now() + $2 * interval '1 millisecond',
       "last_status_code" = $3, "last_duration_ms" = $4, "last_response" = $5, "last_error" = $6 WHERE "id" = $1`,
    [d.id, d.retryInMs, d.status, d.durationMs, d.answer, d.error],
  );
  const [row] = await tx.query<{ disabled: boolean }>(
    `UPDATE "webhook_endpoints" SET "failing_since" = COALESCE("failing_since", now()),
       "enabled" = NOT (COALESCE("failing_since", now()) < now() - $2 * interval '1 millisecond'),
       "disabled_reason" = CASE WHEN COALESCE("failing_since", now()) < now() - $2 * interval '1 millisecond'
         THEN 'Disabled after failing since ' || to_char(COALESCE("failing_since", now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC; last: ' || $3 END
      WHERE "id" = $1 RETURNING NOT "enabled" AS disabled`,
    [d.endpointId, d.disableAfterMs, d.status !== null ? `HTTP ${d.status}` : (d.error ?? 'no answer')],
  );
  return { disabled: row?.disabled ?? false };
}

/**
 * Forgets the deliveries about these conversations (erasure). The endpoints are locked first: a
 * dispatcher queuing from the feed holds them while it copies changes, so this waits for one that
 * read the messages before they went, and deletes what it queued.
 */
export async function forgetDeliveriesOf(tx: Query, conversationIds: string[], address?: string): Promise<void> {
  await tx.query(`SELECT 1 FROM "webhook_endpoints" ORDER BY "id" FOR UPDATE`);
  await tx.query(`DELETE FROM "webhook_deliveries" WHERE "conversation_id" = ANY($1::uuid[])`, [conversationIds]);
  if (address) await tx.query(`DELETE FROM "webhook_deliveries" WHERE lower("address") = lower($1)`, [address]);
}
