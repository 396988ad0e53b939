import { actorOf } from '../../modules/audit/audit.service.ts';
import { builder } from '../builder.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import { UserError } from '../errors.ts';
import { ApiToken, TokenScope } from './api-token.type.ts';
import { createApiToken, revokeApiToken, type ApiTokenRecord } from '../../modules/access/api-tokens.service.ts';

interface CreateTokenResult {
  token: string | null;
  apiToken: ApiTokenRecord | null;
  errors: UserErrorShape[];
}

const CreateApiTokenPayload = builder.objectRef<CreateTokenResult>('CreateApiTokenPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { nullable: true, description: 'The secret, shown this once: Hatch keeps only its hash.' }),
    apiToken: t.field({ type: ApiToken, nullable: true, resolve: (r) => r.apiToken }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreateApiTokenPayload,
    description: 'Makes an API token for a program. Admins only.',
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true, description: 'What it is for, e.g. the program using it; unique among working tokens.' }),
      scope: t.arg({ type: TokenScope, defaultValue: 'read' }),
    },
    resolve: async (_root, args, ctx) => {
      const result = await createApiToken(ctx.db, {
        name: args.name,
        scope: args.scope ?? 'read',
        createdById: ctx.principal.kind === 'operator' && !ctx.principal.local ? ctx.principal.id : null,
        actor: actorOf(ctx.principal),
      });
      return result.ok ? { token: result.token, apiToken: result.record, errors: [] } : { token: null, apiToken: null, errors: result.errors };
    },
  }),
);

interface RevokeResult {
  apiToken: ApiTokenRecord | null;
  errors: UserErrorShape[];
}

const RevokeApiTokenPayload = builder.objectRef<RevokeResult>('RevokeApiTokenPayload').implement({
  fields: (t) => ({
    apiToken: t.field({ type: ApiToken, nullable: true, resolve: (r) => r.apiToken }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('revokeApiToken', (t) =>
  t.field({
    type: RevokeApiTokenPayload,
    description: "Stops a token working at once, including the subscriptions it has open. Admins only.",
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const revoked = isUuid(id) ? await revokeApiToken(ctx.db, { id: id.toLowerCase() }, actorOf(ctx.principal)) : undefined;
      return revoked ? { apiToken: revoked, errors: [] } : { apiToken: null, errors: [userError('id', 'NOT_FOUND', `No working API token with id "${id}".`)] };
    },
  }),
);
