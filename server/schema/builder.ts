import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { Kind } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Database } from '../db/database.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import PrismaTypes, { getDatamodel } from '../generated/pothos-types.ts';
import { canSend, isAdmin, type Principal } from '../modules/access/principal.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pages.ts';
import type { MessagesService } from '../modules/messages/messages.service.ts';
import type { ChangeFeed } from '../modules/realtime/index.ts';
import type { PresenceHub } from '../modules/presence/presence.ts';
import type { WebhookNetwork } from '../config.ts';

export interface Context {
  prisma: PrismaClient;
  /** Plain SQL, for what Prisma does not say well (or fast). */
  db: Database;
  messages: MessagesService;
  /** Live changes, and changes since a cursor (subscriptions). */
  feed: ChangeFeed;
  /** Who is viewing or typing where (ephemeral, across replicas). */
  presence: PresenceHub;
  /** Outbound webhooks: where they may go, and the dispatcher to wake. */
  webhooks: { network: WebhookNetwork; dispatcher: { kick(): Promise<void> } };
  /** Who is asking; the router lets nobody reach GraphQL without signing in. */
  principal: Principal;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultFieldNullability: false;
  AuthScopes: { read: boolean; send: boolean; operator: boolean; admin: boolean };
}>({
  // Scope checks first, so no other plugin's wrapper runs for a caller who may not.
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      read: true,
      send: canSend(ctx.principal),
      operator: ctx.principal.kind === 'operator',
      admin: isAdmin(ctx.principal),
    }),
    unauthorizedError: (_parent, ctx, info) =>
      createGraphQLError(
        ctx.principal.kind === 'token' && info.parentType.name === 'Mutation' && ctx.principal.scope === 'read'
          ? `The token "${ctx.principal.name}" may only read; ${info.fieldName} needs a token with the send scope.`
          : ctx.principal.kind === 'operator'
            ? `${info.fieldName} is for admins; ask an admin of this inbox.`
            : `${info.fieldName} is for operators signed in to the inbox, not for API tokens.`,
        { extensions: { code: 'FORBIDDEN' } },
      ),
  },
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Ids are the database's UUIDs, not Relay's encoded ones: node and nodes are Hatch's own (modules/node).
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

builder.queryType({});
// Every mutation changes something: an API token needs the send scope for any of them.
builder.mutationType({ authScopes: { send: true } });
builder.subscriptionType({});

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC with milliseconds.',
  serialize: (d) => d.toISOString(),
  parseValue: (v) => parseDate(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? parseDate(ast.value) : invalidDate()),
});

function parseDate(v: unknown): Date {
  const d = typeof v === 'string' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : invalidDate();
}

function invalidDate(): never {
  throw createGraphQLError('DateTime must be an ISO 8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
}
