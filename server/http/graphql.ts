import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { getOperationAST, type DocumentNode, type FieldNode } from 'graphql';
import { createGraphQLError, createYoga, isAsyncIterable, type Plugin as YogaPlugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Principal } from '../modules/access/principal.ts';
import { requestContext } from '../logger.ts';
import { boundedLabel, type Metrics } from '../metrics.ts';
import type { Context } from '../schema/builder.ts';
import { maskError } from '../schema/errors.ts';
import { schema } from '../schema/index.ts';
import { renderGraphiQL } from './graphiql.ts';
import { useQueryLimits } from './query-limits.ts';

export const GRAPHQL_PATH = '/graphql';
const GRAPHIQL_HEADERS = JSON.stringify({ Authorization: 'Bearer ' }, null, 2);

/** What the router hands Yoga with each request: who signed it in. */
export interface GraphQLServerContext {
  principal: Principal;
}

export type GraphQLServer = YogaServerInstance<GraphQLServerContext, Context>;

/** Operations one batched request may carry. */
export const MAX_BATCH = 10;

/**
 * The GraphQL pipeline: schema, plugins and limits. Yoga answers queries and mutations over HTTP
 * and GraphiQL itself; the event-stream transports (server/http/sse) run operations through the
 * same pipeline (`getEnveloped`). The router has already signed the caller in (or refused them);
 * `services` are the same for every operation.
 */
export function createGraphQLServer(services: Omit<Context, 'principal'>, log: Logger, metrics: Metrics): GraphQLServer {
  return createYoga<GraphQLServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // The router already caps every request body on /graphql (MAX_REQUEST_BYTES, 413 with
    // REQUEST_TOO_LARGE) before Yoga sees it. Yoga's own cap would wrap each body in a new stream
    // and a new Request: about 7 % of the CPU of a small query, for nothing.
    maxRequestBodySize: false,
    // Batched requests (graphql-request's batchRequests, Apollo's BatchHttpLink): at most 10
    // operations, whose node costs count together against one request's limit (useQueryLimits).
    batching: { limit: MAX_BATCH },
    context: ({ principal }) => ({ ...services, principal }),
    graphiql: {
      title: 'Hatch GraphiQL',
      // GraphQL over SSE carries the headers below on subscriptions too (a WebSocket could not).
      subscriptionsProtocol: 'GRAPHQL_SSE',
      // Signed in, the session is enough; to act as a program, paste its token after "Bearer ".
      // Headers are not kept in the browser's storage, so a pasted token is not either.
      headers: GRAPHIQL_HEADERS,
      defaultHeaders: GRAPHIQL_HEADERS,
      shouldPersistHeaders: false,
    },
    renderGraphiQL,
    logging: log,
    // A service's CodedError keeps its message and code; anything unexpected is masked.
    maskedErrors: { maskError },
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
      useOperationMetrics(metrics),
    ],
  });
}

/**
 * Names the request's GraphQL operation for its log line and metrics, and counts the errors each
 * operation returns by code.
 */
function useOperationMetrics(metrics: Metrics): YogaPlugin {
  const seen = new Set<string>();
  const name = (operationName: string | null | undefined, document?: DocumentNode) => {
    const operation = document ? getOperationAST(document, operationName ?? undefined) : undefined;
    const named = operationName ?? operation?.name?.value ?? (operation?.selectionSet.selections[0] as FieldNode | undefined)?.name.value;
    const context = requestContext.getStore();
    if (context && named) context.operation = named;
  };
  return {
    // The name the client gave, then the document's own once parsed (for anonymous operations,
    // the first field): requests refused before execution are counted under a name too.
    // A batch's entries arrive here before Yoga checks each is an object: `[null]` must reach
    // that check (a 400 for the entry), not fail here.
    onParams: ({ params }) => name((params as Partial<typeof params> | null)?.operationName),
    onExecute: ({ args }) => name(args.operationName, args.document),
    onSubscribe: ({ args }) => name(args.operationName, args.document),
    // Errors are counted from what is returned, so parse and validation errors count too.
    onResultProcess({ result }) {
      if (isAsyncIterable(result)) return;
      const operation = boundedLabel(seen, requestContext.getStore()?.operation);
      for (const one of Array.isArray(result) ? result : [result]) {
        for (const error of one.errors ?? []) metrics.graphqlErrors.inc({ operation, code: String(error.extensions?.code ?? 'NONE') });
      }
    },
  };
}

/** Marks operations run by Hatch's own streaming transports (server/http/sse, multipart, ws). */
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
          createGraphQLError(
            'Subscriptions need a streaming transport: "Accept: text/event-stream" (GraphQL over SSE), "Accept: multipart/mixed;subscriptionSpec=1.0" (multipart) or graphql-ws at /graphql/ws.',
            {
              extensions: { code: 'STREAMING_TRANSPORT_REQUIRED', http: { status: 406 } },
            },
          ),
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
