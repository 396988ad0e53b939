import { builder } from '../builder.ts';
import { ApiToken } from './api-token.type.ts';
import { OperatorRoleEnum } from './operator.type.ts';
import { listApiTokens } from '../../modules/access/api-tokens.service.ts';
import type { Principal } from '../../modules/access/principal.ts';
import { unseenMentions } from '../../modules/notes/notes.service.ts';

const Viewer = builder.objectRef<Principal>('Viewer').implement({
  description: 'Who is asking: a signed-in operator or a program with an API token.',
  fields: (t) => ({
    kind: t.string({ description: '`operator` or `token`.', resolve: (p) => p.kind }),
    operatorId: t.id({
      nullable: true,
      description: "The signed-in operator's id (what `assignConversation` and `Conversation.assignee` name); null for a program, and with sign-in off.",
      resolve: (p) => (p.kind === 'operator' && !p.local ? p.id : null),
    }),
    name: t.exposeString('name'),
    email: t.string({ nullable: true, resolve: (p) => (p.kind === 'operator' ? p.email || null : null) }),
    unseenMentionCount: t.int({
      description: "Notes mentioning the viewer that they have not seen (`markMentionsSeen`); 0 for a program.",
      resolve: (p, _args, ctx) => unseenMentions(ctx.db, p),
    }),
    role: t.field({
      type: OperatorRoleEnum,
      nullable: true,
      description: "The signed-in operator's role (ADMIN with sign-in off: whoever uses the machine runs it); null for a program.",
      resolve: (p) => (p.kind === 'operator' ? (p.local ? 'ADMIN' : p.role) : null),
    }),
    canSend: t.boolean({ description: 'Whether mutations are allowed.', resolve: (p) => p.kind === 'operator' || p.scope === 'send' }),
  }),
});

builder.queryField('viewer', (t) => t.field({ type: Viewer, resolve: (_root, _args, ctx) => ctx.principal }));

builder.queryField('apiTokens', (t) =>
  t.field({
    type: [ApiToken],
    description: 'Every API token, working ones first. Admins only.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => listApiTokens(ctx.db),
  }),
);
