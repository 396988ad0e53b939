import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const streamTicketColumns = tableColumns('stream_tickets', ['ticket_hash', 'credential', 'expires_at'] as const, [] as const);

/** Stores a ticket (its hash) for `credential`, and clears tickets that expired unused. */
export async function insertStreamTicket(sql: Query, t: { ticketHash: string; credential: string; ttlMs: number }): Promise<void> {
  await sql.query(
    `WITH gone AS (DELETE FROM "stream_tickets" WHERE "expires_at" < now())
     INSERT INTO "stream_tickets" ("ticket_hash", "credential", "expires_at") VALUES ($1, $2, now() + $3 * interval '1 millisecond')`,
    [t.ticketHash, t.credential, t.ttlMs],
  );
}

/**
 * Uses a ticket up: deletes it and returns the credential it stood for, when it had not expired.
 * The DELETE makes it single use even when two requests race with it.
 */
export async function consumeStreamTicket(sql: Query, ticketHash: string): Promise<string | undefined> {
  const [row] = await sql.query<{ credential: string; fresh: boolean }>(
    'DELETE FROM "stream_tickets" WHERE "ticket_hash" = $1 RETURNING "credential", "expires_at" > now() AS fresh',
    [ticketHash],
  );
  return row?.fresh ? row.credential : undefined;
}

/** The working token with this id. */
export async function workingToken(sql: Query, id: string): Promise<{ id: string; name: string; scope: 'read' | 'send' } | undefined> {
  const [row] = await sql.query<{ id: string; name: string; scope: 'read' | 'send' }>(
    'SELECT "id", "name", lower("scope"::text) AS scope FROM "api_tokens" WHERE "id" = $1 AND "revoked_at" IS NULL',
    [id],
  );
  return row;
}
