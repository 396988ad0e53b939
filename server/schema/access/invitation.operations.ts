import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import { createInvitation, listPendingInvitations, revokeInvitation, type InvitationRecord } from '../../modules/access/team.service.ts';
import { OperatorRoleEnum } from './operator.type.ts';

export const Invitation = builder.objectRef<InvitationRecord>('Invitation').implement({
  description: 'A one-time link that lets a colleague join the team: it works for 7 days, until used or revoked. The link itself is shown once, when it is made.',
  fields: (t) => ({
    id: t.exposeID('id'),
    role: t.field({ type: OperatorRoleEnum, description: 'The role the colleague joins with.', resolve: (i) => i.role }),
    email: t.exposeString('email', { nullable: true, description: 'When set, the email the colleague must join with.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    createdBy: t.exposeString('createdBy', { nullable: true, description: 'The admin who made it.' }),
  }),
});

builder.queryField('invitations', (t) =>
  t.field({
    type: [Invitation],
    description: 'Invitations not yet used, revoked or expired, newest first. Admins only.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => listPendingInvitations(ctx.db),
  }),
);

interface CreateResult {
  invitation: InvitationRecord | null;
  path: string | null;
  errors: UserErrorShape[];
}

const CreateInvitationPayload = builder.objectRef<CreateResult>('CreateInvitationPayload').implement({
  fields: (t) => ({
    invitation: t.field({ type: Invitation, nullable: true, resolve: (r) => r.invitation }),
    path: t.exposeString('path', {
      nullable: true,
      description: "The link, relative to the server's address (`/join#…`): shown once, never again. Whoever opens it chooses a name and password.",
    }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('createInvitation', (t) =>
  t.field({
    type: CreateInvitationPayload,
    description: 'Makes a one-time invitation link for a colleague, valid 7 days. Admins only. `INVALID_EMAIL`.',
    authScopes: { admin: true },
    args: {
      role: t.arg({ type: OperatorRoleEnum, defaultValue: 'AGENT' }),
      email: t.arg.string({ required: false, description: 'Only this email may join with it (optional).' }),
    },
    resolve: async (_root, args, ctx) => {
      const made = await createInvitation(ctx.db, ctx.principal, { role: args.role ?? 'AGENT', email: args.email });
      if (!made.ok) return { invitation: null, path: null, errors: made.errors };
      return { invitation: made.value.invitation, path: `/join#${made.value.secret}`, errors: [] };
    },
  }),
);

interface RevokeResult {
  invitation: InvitationRecord | null;
  errors: UserErrorShape[];
}

const RevokeInvitationPayload = builder.objectRef<RevokeResult>('RevokeInvitationPayload').implement({
  fields: (t) => ({
    invitation: t.field({ type: Invitation, nullable: true, resolve: (r) => r.invitation }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('revokeInvitation', (t) =>
  t.field({
    type: RevokeInvitationPayload,
    description: 'Stops an invitation link working. Admins only. `INVALID_ID`, `NOT_FOUND` (no pending invitation with that id).',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!isUuid(id)) return { invitation: null, errors: [userError('id', 'INVALID_ID', `"${id.slice(0, 60)}" is not an invitation id.`)] };
      const revoked = await revokeInvitation(ctx.db, ctx.principal, id.toLowerCase());
      return revoked.ok ? { invitation: revoked.value, errors: [] } : { invitation: null, errors: revoked.errors };
    },
  }),
);
