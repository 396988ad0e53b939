import { z } from 'zod';
import { isStorable } from '../../lib/text.ts';
import type { Database, Sql } from '../../db/database.ts';
import { userError, type UserErrorShape } from '../../schema/errors.ts';
import { DUMMY_HASH, hashPassword, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, verifyPassword } from './passwords.ts';

export interface Operator {
  id: string;
  email: string;
  name: string;
}

export interface NewOperator {
  email: string;
  name?: string | null;
  password: string;
}

const UNIQUE_VIOLATION = '23505';

const input = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: 'Enter an email address such as ana@example.com.' }).max(254)),
  name: z
    .string()
    .trim()
    .max(100, 'A name can be at most 100 characters.')
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'A name cannot contain control characters.')
    .nullish(),
  password: z
    .string()
    .min(MIN_PASSWORD_CHARS, `A password needs at least ${MIN_PASSWORD_CHARS} characters.`)
    .max(MAX_PASSWORD_CHARS, `A password can be at most ${MAX_PASSWORD_CHARS} characters.`),
});

const CODES: Record<string, string> = { email: 'INVALID_EMAIL', name: 'INVALID_NAME', password: 'WEAK_PASSWORD' };

export type CreateOperatorResult = { ok: true; operator: Operator } | { ok: false; errors: UserErrorShape[] };

/** Adds an operator; the name defaults to the part of the email before the @. */
export async function createOperator(sql: Pick<Sql, 'query'>, candidate: NewOperator): Promise<CreateOperatorResult> {
  const parsed = input.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => {
        const field = String(i.path[0] ?? 'email');
        return userError(field, CODES[field] ?? 'INVALID_INPUT', i.message);
      }),
    };
  }
  const { email, password } = parsed.data;
  const name = parsed.data.name || email.split('@')[0]!;
  try {
    const [row] = await sql.query<Operator>(
      'INSERT INTO "operators" ("email", "name", "password_hash") VALUES ($1, $2, $3) RETURNING "id", "email", "name"',
      [email, name, await hashPassword(password)],
    );
    return { ok: true, operator: row! };
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      return { ok: false, errors: [userError('email', 'EMAIL_TAKEN', `There is already an operator with the email ${email}.`)] };
    }
    throw err;
  }
}

export async function countOperators(sql: Pick<Sql, 'query'>): Promise<number> {
  const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "operators"');
  return row!.n;
}

/** The operator whose email and password these are, or undefined; takes as long either way. */
export async function checkPassword(db: Database, email: string, password: string): Promise<Operator | undefined> {
  if (!isStorable(email)) email = '';
  const [row] = await db.query<Operator & { password_hash: string }>(
    'SELECT "id", "email", "name", "password_hash" FROM "operators" WHERE "email" = $1',
    [email.trim().toLowerCase()],
  );
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return ok && row ? { id: row.id, email: row.email, name: row.name } : undefined;
}
