import { getOperationAST, type ExecutionResult } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/fetch';
import { isAsyncIterable, type Plugin, type YogaServerInstance } from 'graphql-yoga';

/**
 * The single-connection mode of the GraphQL-over-SSE protocol at `endpoint` (distinct-connections
 * mode is Yoga's own, at /graphql).
 *
 * This is @graphql-yoga/plugin-graphql-sse with one fix, which is why it is written out here:
 * graphql-sse's handler tells a finished result from execution arguments by the presence of
 * `data`, and a result that is only `{ errors }` (a validation error, or a subscription whose
 * source stream cannot start, such as an unknown conversation) is misread and answered with
 * a 400 "Unable to detect operation AST". Giving such results `data: null`, as the GraphQL spec
 * allows for a failed operation, lets the real errors reach the client.
 */
export function useSingleConnectionSSE(endpoint = '/graphql/stream'): Plugin {
  const ctxForReq = new WeakMap<Request, Record<string, unknown>>();
  let handler: (req: Request) => Promise<Response>;
  const withData = (r: ExecutionResult): ExecutionResult => ('data' in r ? r : { ...r, data: null });

  return {
    onYogaInit({ yoga }) {
      const y = yoga as YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
      handler = createHandler(
        {
          async onSubscribe(req, params) {
            const enveloped = y.getEnveloped({ ...ctxForReq.get(req.raw), request: req.raw, params });
            const document = enveloped.parse(params.query);
            const errors = enveloped.validate(enveloped.schema, document);
            if (errors.length > 0) return { data: null, errors };
            const contextValue = await enveloped.contextFactory();
            const args = {
              schema: enveloped.schema,
              document,
              contextValue,
              variableValues: params.variables,
              operationName: params.operationName,
            };
            const operation = getOperationAST(document, params.operationName);
            const result = await (operation?.operation === 'subscription' ? enveloped.subscribe(args) : enveloped.execute(args));
            return isAsyncIterable(result) ? (result as AsyncIterable<ExecutionResult>) : withData(result);
          },
        },
        y.fetchAPI,
      );
    },
    onRequest({ request, endResponse, serverContext }) {
      const path = request.url.split('?')[0];
      if (path?.endsWith(endpoint)) {
        ctxForReq.set(request, serverContext as Record<string, unknown>);
        return handler(request).then(endResponse);
      }
    },
  };
}
