import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Principal } from '../modules/access/principal.ts';
import type { Context } from '../schema/builder.ts';
import { schema } from '../schema/index.ts';
import { renderGraphiQL } from './graphiql.ts';

export const GRAPHQL_PATH = '/graphql';

/** What the router hands Yoga with each request: who signed it in. */
export interface GraphQLServerContext {
  principal: Principal;
}

export type GraphQLServer = YogaServerInstance<GraphQLServerContext, Context>;

/**
 * The GraphQL pipeline: schema, plugins and limits. Yoga answers queries and mutations over HTTP
 * and GraphiQL itself; the event-stream transports (server/http/sse) run operations through the
 * same pipeline (`getEnveloped`). The router has already signed the caller in (or refused them);
 * `services` are the same for every operation.
 */
export function createGraphQLServer(services: Omit<Context, 'principal'>, log: Logger): GraphQLServer {
  return createYoga<GraphQLServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ principal }) => ({ ...services, principal }),
    graphiql: { title: 'Hatch GraphiQL', subscriptionsProtocol: 'GRAPHQL_SSE' },
    renderGraphiQL,
    logging: log,
    maskedErrors: true,
    // The router answers CORS (CORS_ORIGINS only); Yoga's default would allow any origin.
    cors: false,
    // The router answers /health and /ready itself and sends Yoga only what is under /graphql.
    landingPage: false,
    plugins: [
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
