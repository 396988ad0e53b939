import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { Kind, type GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.ts';
import PrismaTypes, { getDatamodel } from '../generated/pothos-types.ts';
import type { MessagesService } from '../modules/messages/messages.service.ts';
import type { HatchPubSub } from '../modules/realtime/pubsub.ts';

export interface Context {
  prisma: PrismaClient;
  messages: MessagesService;
  pubsub: HatchPubSub;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultFieldNullability: false;
}>({
  plugins: [PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Ids are the database's UUIDs, not Relay global ids, so there is no `node` root field.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

builder.queryType({});
builder.mutationType({});
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string) => UUID.test(id);

/** Rejects an id that cannot be a Hatch id with a clear error instead of a database cast error. */
export function assertUuid(id: string, what: string): string {
  if (!isUuid(id)) {
    throw createGraphQLError(`"${id}" is not a valid ${what} id`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return id.toLowerCase();
}

export function notFound(what: string, id: string): GraphQLError {
  return createGraphQLError(`No ${what} with id "${id}"`, { extensions: { code: 'NOT_FOUND' } });
}
