import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const operatorColumns = tableColumns('operators', ['id', 'email', 'name', 'password_hash', 'created_at'] as const, ['id', 'created_at'] as const);

export interface OperatorRecord {
  id: string;
  email: string;
  name: string;
}

/** Adds an operator; throws Postgres's unique violation (23505) when the email is taken. */
export async function insertOperator(sql: Query, o: { email: string; name: string; passwordHash: string }): Promise<OperatorRecord> {
  const [row] = await sql.query<OperatorRecord>('INSERT INTO "operators" ("email", "name", "password_hash") VALUES ($1, $2, $3) RETURNING "id", "email", "name"', [
    o.email,
    o.name,
    o.passwordHash,
  ]);
  return row!;
}

export async function countOperators(sql: Query): Promise<number> {
  const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "operators"');
  return row!.n;
}

/** The operator with this email (as stored: lower case), with their password's hash. */
export async function operatorByEmail(sql: Query, email: string): Promise<(OperatorRecord & { passwordHash: string }) | undefined> {
  const [row] = await sql.query<OperatorRecord & { password_hash: string }>('SELECT "id", "email", "name", "password_hash" FROM "operators" WHERE "email" = $1', [email]);
  return row && { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash };
}

/** Every operator's id and name: whom a note can mention. */
export async function operatorNames(sql: Query): Promise<{ id: string; name: string }[]> {
  return sql.query<{ id: string; name: string }>('SELECT "id", "name" FROM "operators" ORDER BY "name", "id"');
}
