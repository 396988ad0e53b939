// Running the team from the page: roles, disabling and enabling operators, invitations. Each change
// and its audit log entry commit together.
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { revokeTokensMadeBy } from '../../db/tables/api-tokens.ts';
import { unassignAllOf } from '../../db/tables/conversations.ts';
import {
  insertInvitation,
  lockPendingInvitation,
  markInvitationAccepted,
  pendingInvitations,
  revokeInvitationRow,
  type InvitationRecord,
} from '../../db/tables/invitations.ts';
import { operatorById, setDisabled, setRole, type OperatorRecord, type OperatorRole } from '../../db/tables/operators.ts';
import { deleteSessionsOf } from '../../db/tables/sessions.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { actorOf, recordAudit } from '../audit/audit.service.ts';
import { createOperatorOrRollBack, formMistakes, type NewOperator, type Operator } from './operators.service.ts';
import type { Principal } from './principal.ts';
import { notifyRevoked } from './revocations.ts';
import { newSecret, secretHash } from './secrets.ts';

export type { InvitationRecord };

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

type Outcome<T> = { ok: true; value: T } | { ok: false; errors: UserErrorShape[] };
const fail = (field: string, code: Parameters<typeof userError>[1], message: string): Outcome<never> => ({ ok: false, errors: [userError(field, code, message)] });
const notFound = (id: string) => fail('id', 'NOT_FOUND', `No operator with id "${id}".`);
const lastAdmin = () => fail('id', 'LAST_ADMIN', 'The team needs at least one working admin: make someone else an admin first.');

const operatorTarget = (o: { id: string; name: string }) => ({ kind: 'operator', id: o.id, name: o.name });

/** Makes an operator an admin or an agent, from their next request. */
export async function changeRole(db: Database, by: Principal, id: string, role: OperatorRole): Promise<Outcome<OperatorRecord>> {
  return db.transaction(async (tx) => {
    const before = await operatorById(tx, id);
    const outcome = await setRole(tx, id, role);
    if (outcome === 'not-found') return notFound(id);
    if (outcome === 'last-admin') return { ok: false, errors: [userError('role', 'LAST_ADMIN', 'The team needs at least one admin: make someone else an admin first.')] };
    if (before?.role !== role) await recordAudit(tx, 'ROLE_CHANGED', { actor: actorOf(by), target: operatorTarget(outcome), role });
    return { ok: true, value: outcome };
  });
}

/**
 * Disables an operator: they cannot sign in, every session of theirs and every token they made end
 * at once (open streams close, on every replica), and the conversations assigned to them go back to
 * nobody. Their name stays on what they did. Not oneself, and not the last working admin.
 */
export async function disableOperator(db: Database, by: Principal, id: string): Promise<Outcome<OperatorRecord>> {
  if (by.kind === 'operator' && by.id === id) return fail('id', 'CANNOT_DISABLE_SELF', 'You cannot disable yourself: ask another admin.');
  return db.transaction(async (tx) => {
    const outcome = await setDisabled(tx, id, true);
    if (outcome === 'not-found') return notFound(id);
    if (outcome === 'last-admin') return lastAdmin();
    const operator = outcome === 'unchanged' ? (await operatorById(tx, id))! : outcome;
    if (outcome === 'unchanged') return { ok: true, value: operator };
    for (const session of await deleteSessionsOf(tx, id)) await notifyRevoked(tx, `session:${session}`);
    for (const token of await revokeTokensMadeBy(tx, id)) {
      await notifyRevoked(tx, `token:${token.id}`);
      await recordAudit(tx, 'TOKEN_REVOKED', { actor: actorOf(by), target: { kind: 'token', id: token.id, name: token.name } });
    }
    await unassignAllOf(tx, id);
    await recordAudit(tx, 'OPERATOR_DISABLED', { actor: actorOf(by), target: operatorTarget(operator) });
    return { ok: true, value: operator };
  });
}

/** Lets a disabled operator sign in again (their old sessions and tokens stay ended). */
export async function enableOperator(db: Database, by: Principal, id: string): Promise<Outcome<OperatorRecord>> {
  return db.transaction(async (tx) => {
    const outcome = await setDisabled(tx, id, false);
    if (outcome === 'not-found') return notFound(id);
    if (outcome === 'last-admin') return lastAdmin(); // (enabling never leaves fewer admins)
    const operator = outcome === 'unchanged' ? (await operatorById(tx, id))! : outcome;
    if (outcome !== 'unchanged') await recordAudit(tx, 'OPERATOR_ENABLED', { actor: actorOf(by), target: operatorTarget(operator) });
    return { ok: true, value: operator };
  });
}

const invitationEmail = z.string().trim().toLowerCase().pipe(z.email().max(254));

/**
 * Makes an invitation: a one-time link (`/join#<secret>`; the secret is returned here once and only
 * its hash is kept) that works for INVITATION_DAYS days, until used or revoked. With `email`, the
 * colleague must join with that email.
 */
export async function createInvitation(db: Database, by: Principal, input: { role: OperatorRole; email?: string | null }): Promise<Outcome<{ invitation: InvitationRecord; secret: string }>> {
  let email: string | null = null;
  if (input.email?.trim()) {
    const parsed = invitationEmail.safeParse(input.email);
    if (!parsed.success) return fail('email', 'INVALID_EMAIL', 'Enter an email address such as ana@example.com, or leave it empty.');
    email = parsed.data;
  }
  const secret = newSecret();
  return db.transaction(async (tx) => {
    const invitation = await insertInvitation(tx, {
      tokenHash: secretHash(secret),
      role: input.role,
      email,
      createdById: by.kind === 'operator' && !by.local ? by.id : null,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    });
    await recordAudit(tx, 'INVITATION_CREATED', { actor: actorOf(by), target: { kind: 'invitation', id: invitation.id, name: email }, role: input.role });
    return { ok: true, value: { invitation, secret } };
  });
}

export const listPendingInvitations = pendingInvitations;

/** Stops a pending invitation working. */
export async function revokeInvitation(db: Database, by: Principal, id: string): Promise<Outcome<InvitationRecord>> {
  return db.transaction(async (tx) => {
    const revoked = await revokeInvitationRow(tx, id);
    if (!revoked) return fail('id', 'NOT_FOUND', `No pending invitation with id "${id}".`);
    await recordAudit(tx, 'INVITATION_REVOKED', { actor: actorOf(by), target: { kind: 'invitation', id, name: revoked.email }, role: revoked.role });
    return { ok: true, value: revoked };
  });
}

/**
 * Joins the team with an invitation's secret: the operator is made with the invitation's role and
 * the invitation is used up, in one transaction (two people with one link: one joins). A form with
 * mistakes keeps the invitation working, so it can be corrected.
 */
export async function acceptInvitation(db: Database, secret: string, candidate: Omit<NewOperator, 'role'>, address: string | null): Promise<Outcome<Operator>> {
  return db
    .transaction(async (tx) => {
      const invitation = await lockPendingInvitation(tx, secretHash(secret));
      if (!invitation) return fail('token', 'INVITATION_INVALID', 'This invitation has been used, revoked or has expired. Ask an admin for a new one.');
      if (invitation.email && invitation.email !== candidate.email.trim().toLowerCase()) {
        return fail('email', 'INVITATION_EMAIL_MISMATCH', `This invitation is for ${invitation.email}.`);
      }
      const operator = await createOperatorOrRollBack(tx, { ...candidate, role: invitation.role });
      await markInvitationAccepted(tx, invitation.id, operator.id);
      const actor = { kind: 'OPERATOR' as const, id: operator.id, name: operator.name };
      await recordAudit(tx, 'INVITATION_ACCEPTED', { actor, target: { kind: 'invitation', id: invitation.id, name: invitation.email }, role: invitation.role, address });
      return { ok: true as const, value: operator };
    })
    .catch(formMistakes);
}
