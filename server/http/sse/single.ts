import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { graphqlError, type HatchEnv } from '../context.ts';
import type { EventStream } from '../streaming/event-stream.ts';
import { logSlowReader, openStream, type StreamingCore } from '../streaming/open-stream.ts';
import { paramsOrRefusal, prepare } from '../streaming/operation.ts';
import { sseFraming } from './distinct.ts';

const TOKEN_HEADER = 'x-graphql-event-stream-token';

interface Reservation {
  owner: string;
  /** Gives back the credential's place (see StreamHolds). */
  release: () => void;
  createdAt: number;
  stream?: EventStream;
  /** Frames for operations started before the stream was opened. */
  pending: string[];
  pendingBytes: number;
  /** Running operations by the client's id, with the way to stop each. */
  ops: Map<string, () => void>;
}

/**
 * The single-connection mode of the GraphQL-over-SSE protocol, as the graphql-sse client speaks
 * it: PUT reserves a stream (its token is a capability of the credential that reserved it), GET
 * opens it, POST starts operations on it (202), DELETE stops one. Unlike graphql-sse's reference
 * handler it bounds everything: a reservation nobody opens expires with whatever it queued, a
 * stream runs a limited number of operations, a credential holds a limited number of streams, and
 * a reader that falls behind is cut off.
 */
export function singleConnectionStreams(core: StreamingCore, distinct: (c: Context<HatchEnv>) => Promise<Response>) {
  const reservations = new Map<string, Reservation>();
  const { limits } = core;

  const forget = (token: string) => {
    const r = reservations.get(token);
    if (!r) return;
    reservations.delete(token);
    r.release();
    for (const stop of r.ops.values()) stop();
    r.ops.clear();
    r.stream?.close();
  };
  const sweeper = setInterval(() => {
    const expired = Date.now() - limits.reservationTtlMs;
    for (const [token, r] of reservations) if (!r.stream && r.createdAt < expired) forget(token);
  }, Math.max(1000, limits.reservationTtlMs / 2));
  sweeper.unref();

  const send = (r: Reservation, token: string, text: string) => {
    if (r.stream) return void r.stream.write(text);
    r.pending.push(text);
    r.pendingBytes += text.length;
    if (r.pendingBytes > limits.maxBufferedBytes) forget(token);
  };

  const handler = async (c: Context<HatchEnv>): Promise<Response> => {
    const principal = c.get('principal')!;
    const owner = core.access.owner(principal);
    const accept = c.req.header('accept') ?? '*/*';
    const token = c.req.header(TOKEN_HEADER) ?? c.req.query('token');
    const r = token ? reservations.get(token) : undefined;
    const mine = r && r.owner === owner ? r : undefined;

    if (accept === 'text/event-stream' && !token) return distinct(c);
    if (c.req.method === 'PUT') {
      if (!['*/*', 'text/plain'].includes(accept)) return c.body(null, 406);
      // A reservation holds the credential's place from now: a stream is reserved to be opened.
      const place = core.holds.take(principal);
      if ('refused' in place) return graphqlError(place.refused, 'TOO_MANY_STREAMS', 429);
      // "<replica>.<secret>": the proxy routes by the part before the dot (deploy/nginx.conf).
      const secret = randomBytes(24).toString('base64url');
      const fresh = core.replicaId ? `${core.replicaId}.${secret}` : secret;
      // When the credential stops working the stream itself ends, as on every other transport:
      // after its operations have each said UNAUTHENTICATED (the hub tells them in this same turn).
      const unwatch = core.access.watch(principal, () => setImmediate(() => forget(fresh)));
      const release = () => {
        unwatch();
        place.release();
      };
      reservations.set(fresh, { owner, release, createdAt: Date.now(), pending: [], pendingBytes: 0, ops: new Map() });
      return c.text(fresh, 201);
    }
    if (!token || !mine) return graphqlError('No such event stream for these credentials.', 'NOT_FOUND', 404);

    if (c.req.method === 'GET' && accept === 'text/event-stream') {
      if (mine.stream) return graphqlError('This event stream is already open.', 'CONFLICT', 409);
      const { stream, response } = openStream(c, core, sseFraming(core));
      mine.stream = stream;
      logSlowReader(stream, core.log, { mode: 'single', caller: principal.name });
      for (const text of mine.pending.splice(0)) stream.write(text);
      mine.pendingBytes = 0;
      stream.onClose(() => forget(token));
      return response;
    }
    if (c.req.method === 'DELETE') {
      const opId = c.req.query('operationId');
      if (!opId) return graphqlError('operationId is missing.', 'BAD_REQUEST', 400);
      mine.ops.get(opId)?.();
      mine.ops.delete(opId);
      return c.body(null, 200);
    }
    if (c.req.method !== 'POST' && c.req.method !== 'GET') return c.body(null, 405, { allow: 'GET, POST, PUT, DELETE' });
    if (!['*/*', 'application/*', 'application/json'].includes(accept)) return c.body(null, 406);

    const params = await paramsOrRefusal(c.req.raw);
    if (params instanceof Response) return params;
    const opId = String(params.extensions?.operationId ?? '');
    if (!opId) return graphqlError('extensions.operationId is missing.', 'BAD_REQUEST', 400);
    if (mine.ops.has(opId)) return graphqlError('An operation with this id is already running.', 'CONFLICT', 409);
    if (mine.ops.size >= limits.maxSubscriptionsPerStream) {
      return graphqlError(`This stream already runs ${mine.ops.size} operations, the most one stream may.`, 'TOO_MANY_SUBSCRIPTIONS', 429);
    }
    const id = JSON.stringify(opId);
    const next = (json: string) => send(mine, token, `event: next\ndata: {"id":${id},"payload":${json}}\n\n`);
    const complete = () => {
      mine.ops.delete(opId);
      send(mine, token, `event: complete\ndata: {"id":${id}}\n\n`);
    };
    // Reserve the id while preparing, so a DELETE meanwhile is not lost.
    let stopped = false;
    mine.ops.set(opId, () => void (stopped = true));
    const prepared = await prepare(core.graphql, c.req.raw, principal, params, core.log);
    if (stopped || !reservations.has(token)) return c.body(null, 204);
    if (prepared.kind === 'result') {
      next(JSON.stringify(prepared.result));
      complete();
      return c.body(null, 202);
    }
    mine.ops.set(opId, core.hub.join(prepared, { principal, next, complete }));
    return c.body(null, 202);
  };

  return Object.assign(handler, {
    stop() {
      clearInterval(sweeper);
      for (const token of [...reservations.keys()]) forget(token);
    },
    get reserved(): number {
      return reservations.size;
    },
  });
}
