import { z } from 'zod';
import type { Database, Sql } from '../../db/database.ts';
import { userError, type UserErrorShape } from '../../schema/errors.ts';
import type { Principal, TokenScope } from './principal.ts';
import { notifyRevoked } from './revocations.ts';
import { newSecret, secretHash } from './secrets.ts';

/** Recognisable in logs, leaks and secret scanners; the rest is 32 random bytes. */
export const TOKEN_PREFIX = 'hatch_';
const UNIQUE_VIOLATION = '23505';

export interface ApiTokenRecord {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
}

const COLUMNS = `t."id", t."name", lower(t."scope"::text) AS scope, t."created_at", t."last_used_at", t."revoked_at", o."name" AS created_by`;

interface Row {
  id: string;
  name: string;
  scope: TokenScope;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_by: string | null;
}

const toRecord = (r: Row): ApiTokenRecord => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
  revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
  createdBy: r.created_by,
});

const nameSchema = z
  .string()
  .trim()
  .min(1, 'A token needs a name, such as the program that will use it.')
  .max(100, 'A token name can be at most 100 characters.')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'A token name cannot contain control characters.');

export type CreateTokenResult = { ok: true; token: string; record: ApiTokenRecord } | { ok: false; errors: UserErrorShape[] };

/** Makes a token; its secret is returned here once and never stored. */
export async function createApiToken(
  sql: Pick<Sql, 'query'>,
  input: { name: string; scope: TokenScope; createdById: string | null },
): Promise<CreateTokenResult> {
  const name = nameSchema.safeParse(input.name);
  if (!name.success) return { ok: false, errors: [userError('name', 'INVALID_NAME', name.error.issues[0]!.message)] };
  const token = newSecret(TOKEN_PREFIX);
  try {
    const [row] = await sql.query<Row>(
      `WITH t AS (
         INSERT INTO "api_tokens" ("name", "token_hash", "scope", "created_by_id") VALUES ($1, $2, upper($3)::"TokenScope", $4) RETURNING *
       ) SELECT ${COLUMNS} FROM t LEFT JOIN "operators" o ON o."id" = t."created_by_id"`,
      [name.data, secretHash(token), input.scope, input.createdById],
    );
    return { ok: true, token, record: toRecord(row!) };
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      return { ok: false, errors: [userError('name', 'NAME_TAKEN', `A token named "${name.data}" already exists; revoke it or choose another name.`)] };
    }
    throw err;
  }
}

/** Every token, working ones first, newest first. */
export async function listApiTokens(sql: Pick<Sql, 'query'>): Promise<ApiTokenRecord[]> {
  const rows = await sql.query<Row>(
    `SELECT ${COLUMNS} FROM "api_tokens" t LEFT JOIN "operators" o ON o."id" = t."created_by_id"
      ORDER BY t."revoked_at" IS NOT NULL, t."created_at" DESC`,
  );
  return rows.map(toRecord);
}

/** Revokes the working token with this id or name; what it has open ends at once, on every replica. */
export async function revokeApiToken(db: Database, which: { id: string } | { name: string }): Promise<ApiTokenRecord | undefined> {
  return db.transaction(async (tx) => {
    const [key, value] = 'id' in which ? ['id', which.id] : ['name', which.name];
    const [row] = await tx.query<Row>(
      `WITH t AS (
         UPDATE "api_tokens" SET "revoked_at" = now() WHERE "${key}" = $1 AND "revoked_at" IS NULL RETURNING *
       ) SELECT ${COLUMNS} FROM t LEFT JOIN "operators" o ON o."id" = t."created_by_id"`,
      [value],
    );
    if (row) await notifyRevoked(tx, `token:${row.id}`);
    return row ? toRecord(row) : undefined;
  });
}

// Recording every use would be a write per request; a minute's precision is what a person needs.
const TOUCH_EVERY = "interval '1 minute'";

/** The program a bearer token signs in, if it is a working token. */
export async function tokenPrincipal(db: Database, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const [row] = await db.query<{ id: string; name: string; scope: TokenScope; stale: boolean }>(
    `SELECT "id", "name", lower("scope"::text) AS scope,
            ("last_used_at" IS NULL OR "last_used_at" < now() - ${TOUCH_EVERY}) AS stale
       FROM "api_tokens" WHERE "token_hash" = $1 AND "revoked_at" IS NULL`,
    [secretHash(token)],
  );
  if (!row) return undefined;
  if (row.stale) await db.query('UPDATE "api_tokens" SET "last_used_at" = now() WHERE "id" = $1', [row.id]);
  return { kind: 'token', id: row.id, name: row.name, scope: row.scope };
}
