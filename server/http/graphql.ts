import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createGraphQLError, createYoga, type Plugin as YogaPlugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Principal } from '../modules/access/principal.ts';
import type { Context } from '../schema/builder.ts';
import { schema } from '../schema/index.ts';
import { renderGraphiQL } from './graphiql.ts';
import { useQueryLimits } from './query-limits.ts';

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
        // Cost is counted in nodes by useQueryLimits, which knows what a page of a connection is.
        costLimit: { enabled: false },
      }),
      useQueryLimits(),
      useRequestParseErrors(),
      useStreamingTransportsOnly(),
    ],
  });
}

/** Marks operations run by Hatch's own streaming transports (server/http/sse). */
export const HATCH_TRANSPORT = Symbol('hatch transport');

/**
 * Subscriptions run only on Hatch's own transports, which bound buffers, share executions and end
 * on revocation. Yoga would otherwise stream one over any POST (`Accept: *\/*`) by itself.
 */
function useStreamingTransportsOnly(): YogaPlugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      if ((args.contextValue as unknown as Record<symbol, unknown>)[HATCH_TRANSPORT]) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError('Subscriptions are served as event streams: send this with "Accept: text/event-stream" (GraphQL over SSE).', {
            extensions: { code: 'STREAMING_TRANSPORT_REQUIRED', http: { status: 406 } },
          }),
        ],
      });
    },
  };
}

/**
 * Yoga answers a request whose `variables` or `extensions` are not JSON (`GET …&variables=oops`)
 * with a 500: the parser's SyntaxError escapes as an unexpected error. It is the client's mistake.
 */
function useRequestParseErrors(): YogaPlugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (err) {
          if (!(err instanceof SyntaxError)) throw err;
          throw createGraphQLError(`The request's parameters are not valid JSON: ${err.message}`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      });
    },
  };
}
