import { builder } from '../builder.ts';
import { AUDIT_ACTIONS } from '../../modules/audit/audit.service.ts';
import { OperatorRoleEnum } from '../access/operator.type.ts';

const AuditActionEnum = builder.enumType('AuditAction', {
  description: 'What an audit log entry records.',
  values: AUDIT_ACTIONS,
});

const AuditActorKind = builder.enumType('AuditActorKind', {
  values: {
    OPERATOR: { description: 'A signed-in operator.' },
    TOKEN: { description: 'A program, by its API token.' },
    COMMAND: { description: "Someone at the server's command line (`npm run operator:create`, `token:create`, …)." },
    NOBODY: { description: 'Nobody signed in: a failed sign-in.' },
  },
});

const AuditEvent = builder.prismaObject('AuditEvent', {
  description:
    'One entry of the audit log: who did what to whom, when and from where. Names are as they were at the time. Never the content of a message, a note or a password.',
  fields: (t) => ({
    id: t.id({ resolve: (e) => String(e.id) }),
    at: t.expose('at', { type: 'DateTime' }),
    action: t.field({ type: AuditActionEnum, resolve: (e) => e.action as (typeof AUDIT_ACTIONS)[number] }),
    actorKind: t.field({ type: AuditActorKind, resolve: (e) => e.actorKind as 'OPERATOR' | 'TOKEN' | 'COMMAND' | 'NOBODY' }),
    actorId: t.exposeString('actorId', { nullable: true, description: "The operator's or token's id." }),
    actorName: t.exposeString('actorName', { nullable: true }),
    targetKind: t.exposeString('targetKind', { nullable: true, description: '`operator`, `token`, `invitation`, `sessions` or `account` (a failed sign-in: the account as typed).' }),
    targetId: t.exposeString('targetId', { nullable: true }),
    targetName: t.exposeString('targetName', { nullable: true }),
    role: t.field({ type: OperatorRoleEnum, nullable: true, description: 'The role given (ROLE_CHANGED, invitations, OPERATOR_CREATED).', resolve: (e) => e.role }),
    address: t.exposeString('address', { nullable: true, description: 'The client address, for sign-ins and joining.' }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.prismaConnection({
    type: AuditEvent,
    cursor: 'id',
    description: 'The audit log, newest first, kept for `HATCH_AUDIT_RETENTION` (a year unless set). Append-only: nothing in the API changes or deletes it. Admins only.',
    authScopes: { admin: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.auditEvent.findMany({ ...query, orderBy: { id: 'desc' } }),
  }),
);
