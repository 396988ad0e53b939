import type { Database } from '../../db/database.ts';
import { clearSetupLinks, consumeSetupLink, replaceSetupLink } from '../../db/tables/setup-links.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { countOperators, createOperatorOrRollBack, formMistakes, type NewOperator, type Operator } from './operators.service.ts';
import { newSecret, secretHash } from './secrets.ts';
import { recordAudit } from '../audit/audit.service.ts';

/**
 * With no operator yet, a new one-time secret for the set-up link (`/setup#<secret>`) that creates
 * the first one from the page; earlier links stop working. Undefined once an operator exists.
 */
export async function issueSetupLink(db: Database): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    if ((await countOperators(tx)) > 0) return undefined;
    const secret = newSecret();
    await replaceSetupLink(tx, secretHash(secret));
    return secret;
  });
}

export type SetupResult = { ok: true; operator: Operator } | { ok: false; errors: UserErrorShape[] };

/** Creates the first operator with a set-up link; the link is used up, whatever else exists. */
export async function completeSetup(db: Database, secret: string, operator: NewOperator): Promise<SetupResult> {
  return db.transaction(async (tx) => {
    const used = await consumeSetupLink(tx, secretHash(secret));
    if (!used || (await countOperators(tx)) > 0) {
      return { ok: false as const, errors: [userError('token', 'SETUP_LINK_INVALID', 'This set-up link has been used or replaced. Sign in, or ask the server for a new one by restarting it.')] };
    }
    // Invalid input keeps the link, so the person can correct the form and submit again.
    const o = await createOperatorOrRollBack(tx, operator);
    await clearSetupLinks(tx);
    await recordAudit(tx, 'OPERATOR_CREATED', { actor: { kind: 'OPERATOR', id: o.id, name: o.name }, target: { kind: 'operator', id: o.id, name: o.name }, role: o.role });
    return { ok: true as const, operator: o };
  }).catch(formMistakes);
}
