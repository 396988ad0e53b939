import type { Sql } from '../database.ts';
import { optionalTime, tableColumns, time } from './columns.ts';

type Query = Pick<Sql, 'query'>;

// Only a token's hash is stored; the token itself is shown once, when it is made.
export const apiTokenColumns = tableColumns(
  'api_tokens',
  ['id', 'name', 'token_hash', 'scope', 'created_by_id', 'created_at', 'last_used_at', 'revoked_at'] as const,
  ['id', 'created_at', 'last_used_at', 'revoked_at'] as const,
);

export type TokenScope = 'read' | 'send';

export interface ApiTokenRecord {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** The name of the operator who made it, when one did. */
  createdBy: string | null;
}

const RECORD = `t."id", t."name", lower(t."scope"::text) AS scope, t."created_at", t."last_used_at", t."revoked_at", o."name" AS created_by`;

interface RecordRow {
  id: string;
  name: string;
  scope: TokenScope;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_by: string | null;
}

const toRecord = (r: RecordRow): ApiTokenRecord => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  createdAt: time(r.created_at),
  lastUsedAt: optionalTime(r.last_used_at),
  revokedAt: optionalTime(r.revoked_at),
  createdBy: r.created_by,
});

/** Adds a token; throws Postgres's unique violation (23505) when the name is taken. */
export async function insertApiToken(sql: Query, t: { name: string; tokenHash: string; scope: TokenScope; createdById: string | null }): Promise<ApiTokenRecord> {
  const [row] = await sql.query<RecordRow>(
    `WITH t AS (
       INSERT INTO "api_tokens" ("name", "token_hash", "scope", "created_by_id") VALUES ($1, $2, upper($3)::"TokenScope", $4) RETURNING *
     ) SELECT ${RECORD} FROM t LEFT JOIN "operators" o ON o."id" = t."created_by_id"`,
    [t.name, t.tokenHash, t.scope, t.createdById],
  );
  return toRecord(row!);
}

/** Every token, working ones first, newest first. */
export async function listApiTokenRecords(sql: Query): Promise<ApiTokenRecord[]> {
  const rows = await sql.query<RecordRow>(
    `SELECT ${RECORD} FROM "api_tokens" t LEFT JOIN "operators" o ON o."id" = t."created_by_id"
      ORDER BY t."revoked_at" IS NOT NULL, t."created_at" DESC`,
  );
  return rows.map(toRecord);
}

/** Revokes the working token with this id or name; undefined when there is none. */
export async function revokeApiTokenRow(tx: Query, which: { id: string } | { name: string }): Promise<ApiTokenRecord | undefined> {
  const [key, value] = 'id' in which ? ['id', which.id] : ['name', which.name];
  const [row] = await tx.query<RecordRow>(
    `WITH t AS (
       UPDATE "api_tokens" SET "revoked_at" = now() WHERE "${key}" = $1 AND "revoked_at" IS NULL RETURNING *
     ) SELECT ${RECORD} FROM t LEFT JOIN "operators" o ON o."id" = t."created_by_id"`,
    [value],
  );
  return row ? toRecord(row) : undefined;
}

// Recording every use would be a write per request; a minute's precision is what a person needs.
const TOUCH_EVERY = "interval '1 minute'";

/** The working token with this hash, noting its use (at most once a minute). */
export async function useApiToken(sql: Query, tokenHash: string): Promise<{ id: string; name: string; scope: TokenScope } | undefined> {
  const [row] = await sql.query<{ id: string; name: string; scope: TokenScope; stale: boolean }>(
    `SELECT "id", "name", lower("scope"::text) AS scope,
            ("last_used_at" IS NULL OR "last_used_at" < now() - ${TOUCH_EVERY}) AS stale
       FROM "api_tokens" WHERE "token_hash" = $1 AND "revoked_at" IS NULL`,
    [tokenHash],
  );
  if (!row) return undefined;
  if (row.stale) await sql.query('UPDATE "api_tokens" SET "last_used_at" = now() WHERE "id" = $1', [row.id]);
  return { id: row.id, name: row.name, scope: row.scope };
}

/** Notes that a token was used now. */
export async function touchApiToken(sql: Query, id: string): Promise<void> {
  await sql.query('UPDATE "api_tokens" SET "last_used_at" = now() WHERE "id" = $1', [id]);
}

/** Which of these tokens still work. */
export async function workingTokenIds(sql: Query, ids: string[]): Promise<string[]> {
  const rows = await sql.query<{ id: string }>('SELECT "id"::text FROM "api_tokens" WHERE "id" = ANY($1::uuid[]) AND "revoked_at" IS NULL', [ids]);
  return rows.map((r) => r.id);
}

/** Revokes every working token an operator made; the ids and names of those revoked. */
export async function revokeTokensMadeBy(tx: Query, operatorId: string): Promise<{ id: string; name: string }[]> {
  return tx.query<{ id: string; name: string }>(
    'UPDATE "api_tokens" SET "revoked_at" = now() WHERE "created_by_id" = $1 AND "revoked_at" IS NULL RETURNING "id", "name"',
    [operatorId],
  );
}
