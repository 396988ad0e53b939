import type { Context } from 'hono';
import type { HatchEnv } from '../context.ts';
import { frame, nextFrame } from '../streaming/event-stream.ts';
import { logSlowReader, openOperationStream, type StreamingCore } from '../streaming/open-stream.ts';
import { paramsOrRefusal } from '../streaming/operation.ts';

/** How a GraphQL-over-SSE stream is framed: the event-stream type, a comment ping as heartbeat. */
export const sseFraming = (core: StreamingCore) => ({ heartbeats: [core.heartbeat] });

/**
 * The distinct-connections mode of the GraphQL-over-SSE protocol: one request (GET or POST with
 * `Accept: text/event-stream`), one operation, one stream of `next` events ending in `complete`.
 * Errors in the operation (syntax, validation, limits, an unknown conversation) arrive in the
 * stream as a `next` with `errors`; a request that is not GraphQL at all gets a 400.
 */
export function distinctStreams(core: StreamingCore) {
  return async (c: Context<HatchEnv>): Promise<Response> => {
    const params = await paramsOrRefusal(c.req.raw);
    if (params instanceof Response) return params;
    const opened = await openOperationStream(c, core, sseFraming(core), params);
    if (opened instanceof Response) return opened;
    const { principal, prepared, stream, response } = opened;
    logSlowReader(stream, core.log, { mode: 'distinct', caller: principal.name });
    if (prepared.kind === 'result') {
      stream.write(frame('next', JSON.stringify(prepared.result)));
      stream.write(frame('complete'));
      stream.close();
      return response;
    }
    const leave = core.hub.join(prepared, {
      principal,
      next: (json) => void stream.write(nextFrame(json)),
      complete: () => {
        stream.write(frame('complete'));
        stream.close();
      },
    });
    stream.onClose(leave);
    return response;
  };
}
