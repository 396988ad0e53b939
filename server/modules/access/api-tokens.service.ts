import { z } from 'zod';
import type { Sql, SqlDatabase } from '../../db/database.ts';
import { insertApiToken, listApiTokenRecords, revokeApiTokenRow, useApiToken, type ApiTokenRecord } from '../../db/tables/api-tokens.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { COMMAND_ACTOR, recordAudit, type AuditEntry } from '../audit/audit.service.ts';
import type { Principal, TokenScope } from './principal.ts';
import { notifyRevoked } from './revocations.ts';
import { newSecret, secretHash } from './secrets.ts';

/** Recognisable in logs, leaks and secret scanners; the rest is 32 random bytes. */
export const TOKEN_PREFIX = 'hatch_';
export type { ApiTokenRecord };
const UNIQUE_VIOLATION = '23505';

const nameSchema = z
  .string()
  .trim()
  .min(1, 'A token needs a name, such as the program that will use it.')
  .max(100, 'A token name can be at most 100 characters.')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'A token name cannot contain control characters.');

export type CreateTokenResult = { ok: true; token: string; record: ApiTokenRecord } | { ok: false; errors: UserErrorShape[] };

/**
 * Makes a token; its secret is returned here once and never stored. The audit log records it, as
 * made by `actor` (the server's command line unless said).
 */
export async function createApiToken(
  db: Pick<SqlDatabase, 'transaction'>,
  input: { name: string; scope: TokenScope; createdById: string | null; actor?: AuditEntry['actor'] },
): Promise<CreateTokenResult> {
  const name = nameSchema.safeParse(input.name);
  if (!name.success) return { ok: false, errors: [userError('name', 'INVALID_NAME', name.error.issues[0]!.message)] };
  const token = newSecret(TOKEN_PREFIX);
  try {
    const record = await db.transaction(async (tx) => {
      const made = await insertApiToken(tx, { name: name.data, tokenHash: secretHash(token), scope: input.scope, createdById: input.createdById });
      await recordAudit(tx, 'TOKEN_CREATED', { actor: input.actor ?? COMMAND_ACTOR, target: { kind: 'token', id: made.id, name: made.name } });
      return made;
    });
    return { ok: true, token, record };
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
      return { ok: false, errors: [userError('name', 'NAME_TAKEN', `A token named "${name.data}" already exists; revoke it or choose another name.`)] };
    }
    throw err;
  }
}

/** Every token, working ones first, newest first. */
export function listApiTokens(sql: Pick<Sql, 'query'>): Promise<ApiTokenRecord[]> {
  return listApiTokenRecords(sql);
}

/** Revokes the working token with this id or name; what it has open ends at once, on every replica. */
export async function revokeApiToken(db: SqlDatabase, which: { id: string } | { name: string }, actor: AuditEntry['actor'] = COMMAND_ACTOR): Promise<ApiTokenRecord | undefined> {
  return db.transaction(async (tx) => {
    const revoked = await revokeApiTokenRow(tx, which);
    if (revoked) {
      await notifyRevoked(tx, `token:${revoked.id}`);
      await recordAudit(tx, 'TOKEN_REVOKED', { actor, target: { kind: 'token', id: revoked.id, name: revoked.name } });
    }
    return revoked;
  });
}

/** The program a bearer token signs in, if it is a working token. */
export async function tokenPrincipal(db: Pick<Sql, 'query'>, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const found = await useApiToken(db, secretHash(token));
  return found && { kind: 'token', ...found };
}
