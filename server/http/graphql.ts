import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Context } from '../schema/builder.ts';
import { schema } from '../schema/index.ts';
import { renderGraphiQL } from './graphiql.ts';
import { useSingleConnectionSSE } from './sse-single-connection.ts';

export const GRAPHQL_PATH = '/graphql';

export type GraphQLServer = YogaServerInstance<Record<string, unknown>, Context>;

/**
 * The GraphQL endpoint: queries and mutations over HTTP, subscriptions over GraphQL-over-SSE in
 * both of the protocol's modes, GraphiQL for people. `context` gives each operation its services.
 */
export function createGraphQLServer(context: () => Context, log: Logger): GraphQLServer {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context,
    graphiql: { title: 'Hatch GraphiQL', subscriptionsProtocol: 'GRAPHQL_SSE' },
    renderGraphiQL,
    logging: log,
    maskedErrors: true,
    // The router answers /health and /ready itself and sends Yoga only what is under /graphql.
    landingPage: false,
    plugins: [
      // Single-connection mode of the graphql-sse protocol, at /graphql/stream. Distinct-connections
      // mode is served by Yoga itself at /graphql.
      useSingleConnectionSSE(`${GRAPHQL_PATH}/stream`),
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 30 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 2000 },
        costLimit: { maxCost: 20000 },
      }),
    ],
  });
}
