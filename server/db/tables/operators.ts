import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const operatorColumns = tableColumns('operators', ['id', 'email', 'name', 'password_hash', 'created_at', 'role', 'disabled_at'] as const, ['id', 'created_at', 'disabled_at'] as const);

export type OperatorRole = 'ADMIN' | 'AGENT';

export interface OperatorRecord {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
}

/**
 * Adds an operator, with `role`, except that the first operator is always an admin (someone must
 * be able to manage the team). Throws Postgres's unique violation (23505) when the email is taken.
 */
export async function insertOperator(sql: Query, o: { email: string; name: string; passwordHash: string; role: OperatorRole }): Promise<OperatorRecord> {
  const [row] = await sql.query<OperatorRecord>(
    `INSERT INTO "operators" ("email", "name", "password_hash", "role")
       VALUES ($1, $2, $3, CASE WHEN EXISTS (SELECT 1 FROM "operators") THEN $4::"OperatorRole" ELSE 'ADMIN' END)
     RETURNING "id", "email", "name", "role"`,
    [o.email, o.name, o.passwordHash, o.role],
  );
  return row!;
}

/** Changes an operator's role, unless that would leave the team without an admin. */
export async function setRole(tx: Query, id: string, role: OperatorRole): Promise<OperatorRecord | 'not-found' | 'last-admin'> {
  if (role === 'AGENT' && (await isLastAdmin(tx, id))) return 'last-admin';
  const [row] = await tx.query<OperatorRecord>('UPDATE "operators" SET "role" = $2 WHERE "id" = $1 RETURNING "id", "email", "name", "role"', [id, role]);
  return row ?? 'not-found';
}

/**
 * Whether `id` is the only working admin. Every working admin's row is locked first, so two admins
 * demoting or disabling each other at once cannot both succeed.
 */
async function isLastAdmin(tx: Query, id: string): Promise<boolean> {
  const admins = await tx.query<{ id: string }>(`SELECT "id" FROM "operators" WHERE "role" = 'ADMIN' AND "disabled_at" IS NULL ORDER BY "id" FOR UPDATE`);
  return admins.length === 1 && admins[0]!.id === id;
}

/**
 * Disables an operator (or enables them again), unless that would leave the team without a working
 * admin. 'unchanged' when they already were.
 */
export async function setDisabled(tx: Query, id: string, disabled: boolean): Promise<OperatorRecord | 'not-found' | 'last-admin' | 'unchanged'> {
  if (disabled && (await isLastAdmin(tx, id))) return 'last-admin';
  // RETURNING sees the new row: whether it changed is read from the row as it was.
  const [row] = await tx.query<OperatorRecord & { changed: boolean }>(
    `UPDATE "operators" o SET "disabled_at" = CASE WHEN $2 THEN COALESCE(o."disabled_at", now()) ELSE NULL END
       FROM (SELECT "id", "disabled_at" AS was FROM "operators" WHERE "id" = $1 FOR UPDATE) before
      WHERE o."id" = before."id"
     RETURNING o."id", o."email", o."name", o."role", (before.was IS NULL) = $2 AS changed`,
    [id, disabled],
  );
  if (!row) return 'not-found';
  const { changed, ...operator } = row;
  return changed ? operator : 'unchanged';
}

export async function countOperators(sql: Query): Promise<number> {
  const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "operators"');
  return row!.n;
}

/** The operator with this email (as stored: lower case), with their password's hash and whether they are disabled. */
export async function operatorByEmail(sql: Query, email: string): Promise<(OperatorRecord & { passwordHash: string; disabled: boolean }) | undefined> {
  const [row] = await sql.query<OperatorRecord & { password_hash: string; disabled: boolean }>(
    'SELECT "id", "email", "name", "role", "password_hash", "disabled_at" IS NOT NULL AS disabled FROM "operators" WHERE "email" = $1',
    [email],
  );
  return row && { id: row.id, email: row.email, name: row.name, role: row.role, passwordHash: row.password_hash, disabled: row.disabled };
}

/** Every working operator's id and name: whom a note can mention (a disabled one cannot be). */
export async function operatorNames(sql: Query): Promise<{ id: string; name: string }[]> {
  return sql.query<{ id: string; name: string }>('SELECT "id", "name" FROM "operators" WHERE "disabled_at" IS NULL ORDER BY "name", "id"');
}

/** Whether this operator is on the team: exists and is not disabled. */
export async function isWorkingOperator(sql: Query, id: string): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM "operators" WHERE "id" = $1 AND "disabled_at" IS NULL', [id])).length > 0;
}

/** The operator with this id, disabled or not. */
export async function operatorById(sql: Query, id: string): Promise<OperatorRecord | undefined> {
  const [row] = await sql.query<OperatorRecord>('SELECT "id", "email", "name", "role" FROM "operators" WHERE "id" = $1', [id]);
  return row;
}
