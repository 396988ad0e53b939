import { z } from 'zod';
import type { SqlDatabase } from '../../db/database.ts';
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenRecord } from './api-tokens.service.ts';
import { createOperator } from './operators.service.ts';
import { COMMAND_ACTOR, recordAudit } from '../audit/audit.service.ts';

/**
 * What the operator and token commands do, in one place whether they run on the database
 * directly or, when a server holds the embedded database, inside that server.
 */
export const adminCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('operator:create'), email: z.string(), name: z.string().nullish(), password: z.string(), role: z.enum(['ADMIN', 'AGENT']).optional() }),
  z.object({ command: z.literal('token:create'), name: z.string(), scope: z.enum(['read', 'send']) }),
  z.object({ command: z.literal('token:list') }),
  z.object({ command: z.literal('token:revoke'), name: z.string() }),
]);

export type AdminCommand = z.infer<typeof adminCommand>;

export type AdminResult =
  | { ok: true; operator?: { id: string; email: string; name: string; role: string }; token?: string; tokens?: ApiTokenRecord[]; revoked?: ApiTokenRecord }
  | { ok: false; errors: { field: string | null; code: string; message: string }[] };

export async function runAdminCommand(db: SqlDatabase, cmd: AdminCommand): Promise<AdminResult> {
  switch (cmd.command) {
    case 'operator:create': {
      const made = await db.transaction(async (tx) => {
        const result = await createOperator(tx, cmd);
        if (result.ok) {
          const o = result.operator;
          await recordAudit(tx, 'OPERATOR_CREATED', { actor: COMMAND_ACTOR, target: { kind: 'operator', id: o.id, name: o.name }, role: o.role });
        }
        return result;
      });
      return made.ok ? { ok: true, operator: made.operator } : made;
    }
    case 'token:create': {
      const made = await createApiToken(db, { name: cmd.name, scope: cmd.scope, createdById: null });
      return made.ok ? { ok: true, token: made.token, tokens: [made.record] } : made;
    }
    case 'token:list':
      return { ok: true, tokens: await listApiTokens(db) };
    case 'token:revoke': {
      const revoked = await revokeApiToken(db, { name: cmd.name.trim() });
      return revoked
        ? { ok: true, revoked }
        : { ok: false, errors: [{ field: 'name', code: 'NOT_FOUND', message: `No working API token is named "${cmd.name}".` }] };
    }
  }
}
