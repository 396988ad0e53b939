import { z } from 'zod';
import { isStorable } from '../../lib/text.ts';
import type { Database, Sql } from '../../db/database.ts';
import { countOperators, insertOperator, operatorByEmail, type OperatorRecord, type OperatorRole } from '../../db/tables/operators.ts';
import { userError, type UserErrorCode, type UserErrorShape } from '../../lib/errors.ts';
import { DUMMY_HASH, hashPassword, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, verifyPassword } from './passwords.ts';

export type Operator = OperatorRecord;

export interface NewOperator {
  email: string;
  name?: string | null;
  password: string;
  /** AGENT unless said; the first operator is an ADMIN whatever is said. */
  role?: OperatorRole;
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

const CODES: Record<string, UserErrorCode> = { email: 'INVALID_EMAIL', name: 'INVALID_NAME', password: 'WEAK_PASSWORD' };

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
    return { ok: true, operator: await insertOperator(sql, { email, name, passwordHash: await hashPassword(password), role: candidate.role ?? 'AGENT' }) };
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      return { ok: false, errors: [userError('email', 'EMAIL_TAKEN', `There is already an operator with the email ${email}.`)] };
    }
    throw err;
  }
}

/**
 * Creates an operator as part of a one-time link's transaction (the set-up link, an invitation):
 * a form with mistakes rolls the whole transaction back, so the link stays usable and the person
 * can correct the form, and `formMistakes` turns the rollback into the form's errors.
 */
export async function createOperatorOrRollBack(tx: Pick<Sql, 'query'>, candidate: NewOperator): Promise<Operator> {
  const created = await createOperator(tx, candidate);
  if (!created.ok) throw new FormMistakes(created.errors);
  return created.operator;
}

/** For the transaction's `.catch`: a form's mistakes (see createOperatorOrRollBack) as errors; anything else rethrown. */
export function formMistakes(err: unknown): { ok: false; errors: UserErrorShape[] } {
  if (err instanceof FormMistakes) return { ok: false, errors: err.errors };
  throw err;
}

class FormMistakes extends Error {
  constructor(readonly errors: UserErrorShape[]) {
    super('a form with mistakes');
  }
}

export { countOperators };

/**
 * The operator whose email and password these are (`disabled` when an admin has disabled them),
 * or undefined; takes as long either way.
 */
export async function checkPassword(db: Database, email: string, password: string): Promise<(Operator & { disabled: boolean }) | undefined> {
  if (!isStorable(email)) email = '';
  const row = await operatorByEmail(db, email.trim().toLowerCase());
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  return ok && row ? { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled } : undefined;
}
