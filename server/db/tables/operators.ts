import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const operatorColumns = tableColumns('operators', ['id', 'email', 'name', 'password_hash', 'created_at', 'role'] as const, ['id', 'created_at'] as const);

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
  // Every admin row locked first, so two admins demoting each other at once cannot both succeed.
  const admins = await tx.query<{ id: string }>(`SELECT "id" FROM "operators" WHERE "role" = 'ADMIN' ORDER BY "id" FOR UPDATE`);
  if (role === 'AGENT' && admins.length === 1 && admins[0]!.id === id) return 'last-admin';
  const [row] = await tx.query<OperatorRecord>('UPDATE "operators" SET "role" = $2 WHERE "id" = $1 RETURNING "id", "email", "name", "role"', [id, role]);
  return row ?? 'not-found';
}

export async function countOperators(sql: Query): Promise<number> {
  const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "operators"');
  return row!.n;
}

/** The operator with this email (as stored: lower case), with their password's hash. */
export async function operatorByEmail(sql: Query, email: string): Promise<(OperatorRecord & { passwordHash: string }) | undefined> {
  const [row] = await sql.query<OperatorRecord & { password_hash: string }>('SELECT "id", "email", "name", "role", "password_hash" FROM "operators" WHERE "email" = $1', [email]);
  return row && { id: row.id, email: row.email, name: row.name, role: row.role, passwordHash: row.password_hash };
}

/** Every operator's id and name: whom a note can mention. */
export async function operatorNames(sql: Query): Promise<{ id: string; name: string }[]> {
  return sql.query<{ id: string; name: string }>('SELECT "id", "name" FROM "operators" ORDER BY "name", "id"');
}
