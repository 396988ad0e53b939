import type { Sql } from '../database.ts';
import { tableColumns, time } from './columns.ts';

type Query = Pick<Sql, 'query'>;

// A session's id is the hash of its cookie: the cookie itself is never stored.
export const sessionColumns = tableColumns(
  'sessions',
  ['id', 'operator_id', 'created_at', 'expires_at', 'user_agent', 'address', 'last_used_at'] as const,
  ['created_at', 'last_used_at'] as const,
);

export interface SessionRecord {
  id: string;
  userAgent: string | null;
  address: string | null;
  createdAt: Date;
  lastUsedAt: Date;
}

export async function insertSession(sql: Query, s: { id: string; operatorId: string; expiresAt: Date; userAgent: string | null; address: string | null }): Promise<void> {
  await sql.query('INSERT INTO "sessions" ("id", "operator_id", "expires_at", "user_agent", "address") VALUES ($1, $2, $3, $4, $5)', [
    s.id,
    s.operatorId,
    s.expiresAt,
    s.userAgent,
    s.address,
  ]);
}

/** An operator's sessions that still work, most recently used first. */
export async function sessionsOf(sql: Query, operatorId: string): Promise<SessionRecord[]> {
  const rows = await sql.query<{ id: string; user_agent: string | null; address: string | null; created_at: Date; last_used_at: Date }>(
    `SELECT "id", "user_agent", "address", "created_at", "last_used_at" FROM "sessions"
      WHERE "operator_id" = $1 AND "expires_at" > now() ORDER BY "last_used_at" DESC, "created_at" DESC`,
    [operatorId],
  );
  return rows.map((r) => ({ id: r.id, userAgent: r.user_agent, address: r.address, createdAt: time(r.created_at), lastUsedAt: time(r.last_used_at) }));
}

/** A session that has not expired, with its operator. */
export async function liveSession(sql: Query, id: string): Promise<{ operatorId: string; email: string; name: string; role: 'ADMIN' | 'AGENT'; expiresAt: Date } | undefined> {
  const [row] = await sql.query<{ operator_id: string; email: string; name: string; role: 'ADMIN' | 'AGENT'; expires_at: Date }>(
    `SELECT s."operator_id", o."email", o."name", o."role", s."expires_at" FROM "sessions" s JOIN "operators" o ON o."id" = s."operator_id"
      WHERE s."id" = $1 AND s."expires_at" > now() AND o."disabled_at" IS NULL`,
    [id],
  );
  return row && { operatorId: row.operator_id, email: row.email, name: row.name, role: row.role, expiresAt: time(row.expires_at) };
}

export async function extendSession(sql: Query, id: string, expiresAt: Date): Promise<void> {
  await sql.query('UPDATE "sessions" SET "expires_at" = $2, "last_used_at" = now() WHERE "id" = $1', [id, expiresAt]);
}

/** Ends a session; false when there was none. */
export async function deleteSession(tx: Query, id: string): Promise<boolean> {
  return (await tx.query('DELETE FROM "sessions" WHERE "id" = $1 RETURNING "id"', [id])).length > 0;
}

/** Which of these sessions still work (not expired, and their operator not disabled). */
export async function liveSessionIds(sql: Query, ids: string[]): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT s."id" FROM "sessions" s JOIN "operators" o ON o."id" = s."operator_id"
      WHERE s."id" = ANY($1::text[]) AND s."expires_at" > now() AND o."disabled_at" IS NULL`,
    [ids],
  );
  return rows.map((r) => r.id);
}

/** Ends every session of an operator; the ids of those that ended. */
export async function deleteSessionsOf(tx: Query, operatorId: string): Promise<string[]> {
  return (await tx.query<{ id: string }>('DELETE FROM "sessions" WHERE "operator_id" = $1 RETURNING "id"', [operatorId])).map((r) => r.id);
}
