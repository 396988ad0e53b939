import type { Context } from 'hono';
import { createGraphQLError } from 'graphql-yoga';
import type { HatchEnv } from '../context.ts';
import { Heartbeat } from '../streaming/event-stream.ts';
import { REVOKED } from '../streaming/hub.ts';
import { logSlowReader, openOperationStream, type StreamingCore } from '../streaming/open-stream.ts';
import { paramsOrRefusal } from '../streaming/operation.ts';

/**
 * Apollo's multipart HTTP protocol for subscriptions (subscriptionSpec 1.0), which Apollo Client's
 * HttpLink speaks by itself: one POST, one `multipart/mixed` response, each part a JSON
 * `{"payload": <result>}`, a `{}` part every 5 s as a heartbeat, and the closing boundary when the
 * subscription ends. Yoga refuses subscriptions over multipart by design (its multipart is the
 * incremental-delivery one), so this transport is Hatch's own, on the same pipeline (`prepare`),
 * subscription hub, limits and revocation as the SSE transports.
 */
const BOUNDARY = 'graphql';
const CONTENT_TYPE = `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`;

/** One part, closed by the boundary at once: a reader hands a part on only when it sees the next boundary. */
const part = (json: string) => `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}\r\n--${BOUNDARY}`;
/** Turns the last boundary into the closing one (`--graphql--`). */
const END = '--\r\n';
/** The protocol's heartbeat: an empty JSON object every 5 seconds. */
export const MULTIPART_HEARTBEAT_MS = 5000;

export function multipartHeartbeat(): Heartbeat {
  return new Heartbeat(part('{}'), MULTIPART_HEARTBEAT_MS);
}

/**
 * Answers one operation (usually a subscription; a query or mutation gets a single part) as a
 * multipart response. Errors in the operation arrive as a part whose payload has `errors`; ended
 * credentials arrive as the protocol's transport error (`"payload": null` with `errors`), after
 * which the response ends.
 */
export function multipartSubscriptions(core: StreamingCore, heartbeat: Heartbeat) {
  const framing = { contentType: CONTENT_TYPE, preamble: `\r\n--${BOUNDARY}`, heartbeats: [heartbeat] };
  return async (c: Context<HatchEnv>): Promise<Response> => {
    const params = await paramsOrRefusal(c.req.raw);
    if (params instanceof Response) return params;
    const opened = await openOperationStream(c, core, framing, params);
    if (opened instanceof Response) return opened;
    const { principal, prepared, stream, response } = opened;
    logSlowReader(stream, core.log, { mode: 'multipart', caller: principal.name });
    const end = () => {
      stream.write(END);
      stream.close();
    };
    if (prepared.kind === 'result') {
      stream.write(part(JSON.stringify({ payload: prepared.result })));
      end();
      return response;
    }
    const leave = core.hub.join(prepared, {
      principal,
      next: (json) => void stream.write(part(json === REVOKED ? revoked() : `{"payload":${json}}`)),
      complete: end,
    });
    stream.onClose(leave);
    return response;
  };
}

function revoked(): string {
  const error = createGraphQLError('The credentials of this subscription were revoked or have expired.', { extensions: { code: 'UNAUTHENTICATED' } });
  return JSON.stringify({ payload: null, errors: [error] });
}
