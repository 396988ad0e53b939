import type { Context } from 'hono';
import type { HatchEnv } from '../context.ts';
import { frame } from './event-stream.ts';
import { paramsOrRefusal, prepare } from './operation.ts';
import { logSlowReader, openStream, type SseDeps } from './transport.ts';

/**
 * The distinct-connections mode of the GraphQL-over-SSE protocol: one request (GET or POST with
 * `Accept: text/event-stream`), one operation, one stream of `next` events ending in `complete`.
 * Errors in the operation (syntax, validation, limits, an unknown conversation) arrive in the
 * stream as a `next` with `errors`; a request that is not GraphQL at all gets a 400.
 */
export function distinctStreams(deps: SseDeps) {
  return async (c: Context<HatchEnv>): Promise<Response> => {
    const params = await paramsOrRefusal(c.req.raw);
    if (params instanceof Response) return params;
    const principal = c.get('principal')!;
    const prepared = await prepare(deps.graphql, c.req.raw, principal, params, deps.log);
    const { stream, response } = openStream(c, deps);
    logSlowReader(stream, deps.log, { mode: 'distinct', caller: principal.name });
    if (prepared.kind === 'result') {
      stream.write(frame('next', JSON.stringify(prepared.result)));
      stream.write(frame('complete'));
      stream.close();
      return response;
    }
    const leave = deps.hub.join(prepared, {
      principal,
      next: (json) => void stream.write(`event: next\ndata: ${json}\n\n`),
      complete: () => {
        stream.write(frame('complete'));
        stream.close();
      },
    });
    stream.onClose(leave);
    return response;
  };
}
