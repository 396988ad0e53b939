import { builder } from '../builder.ts';
import type { ApiTokenRecord } from '../../modules/access/api-tokens.service.ts';

export const TokenScope = builder.enumType('TokenScope', {
  values: {
    READ: { description: 'Queries and subscriptions.', value: 'read' },
    SEND: { description: 'Queries, subscriptions and mutations (sending messages).', value: 'send' },
  } as const,
});

export const ApiToken = builder.objectRef<ApiTokenRecord>('ApiToken').implement({
  description: 'A credential for a program, sent as `Authorization: Bearer <token>`. The token itself is shown once, when it is made.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    scope: t.expose('scope', { type: TokenScope }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    createdBy: t.exposeString('createdBy', { nullable: true, description: 'The operator who made it; null for tokens made by command.' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'To the minute.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});
