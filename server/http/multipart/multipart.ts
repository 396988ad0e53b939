import type { Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createGraphQLError } from 'graphql-yoga';
import { requestContext } from '../../logger.ts';
import type { HatchEnv } from '../context.ts';
import { REQUEST_ID_HEADER } from '../request-log.ts';
import { API_RESPONSE_HEADERS, corsHeaders } from '../security.ts';
import { Heartbeat, NodeEventStream, WebEventStream, type EventStream } from '../sse/event-stream.ts';
import { REVOKED } from '../sse/hub.ts';
import { paramsOrRefusal, prepare } from '../sse/operation.ts';
import { logSlowReader, type SseDeps } from '../sse/transport.ts';

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

export interface MultipartDeps extends SseDeps {
  /** The heartbeat of multipart responses (another frame and period than the event streams'). */
  multipartHeartbeat: Heartbeat;
}

/**
 * Answers one operation (usually a subscription; a query or mutation gets a single part) as a
 * multipart response. Errors in the operation arrive as a part whose payload has `errors`; ended
 * credentials arrive as the protocol's transport error (`"payload": null` with `errors`), after
 * which the response ends.
 */
export function multipartSubscriptions(deps: MultipartDeps) {
  return async (c: Context<HatchEnv>): Promise<Response> => {
    const params = await paramsOrRefusal(c.req.raw);
    if (params instanceof Response) return params;
    const principal = c.get('principal')!;
    const prepared = await prepare(deps.graphql, c.req.raw, principal, params, deps.log);
    const { stream, response } = openMultipart(c, deps);
    logSlowReader(stream, deps.log, { mode: 'multipart', caller: principal.name });
    const end = () => {
      stream.write(END);
      stream.close();
    };
    if (prepared.kind === 'result') {
      stream.write(part(JSON.stringify({ payload: prepared.result })));
      end();
      return response;
    }
    const leave = deps.hub.join(prepared, {
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

/** Like the SSE transports' openStream, with multipart's content type, first boundary and heartbeat. */
function openMultipart(c: Context<HatchEnv>, deps: MultipartDeps): { stream: EventStream; response: Response } {
  const requestId = requestContext.getStore()?.requestId;
  const headers = {
    ...API_RESPONSE_HEADERS,
    ...corsHeaders(c.req.raw, deps.access),
    ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
    'content-type': CONTENT_TYPE,
  };
  const preamble = `\r\n--${BOUNDARY}`;
  const outgoing = c.env?.outgoing;
  if (outgoing && 'writeHead' in outgoing) {
    const stream = new NodeEventStream(outgoing, headers, deps.limits.maxBufferedBytes, preamble);
    deps.multipartHeartbeat.add(stream);
    return { stream, response: RESPONSE_ALREADY_SENT };
  }
  const stream = new WebEventStream(headers, deps.limits.maxBufferedBytes, preamble);
  deps.multipartHeartbeat.add(stream);
  return { stream, response: stream.response };
}
