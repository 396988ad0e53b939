import type { Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Logger } from 'pino';
import type { AccessConfig, StreamLimits } from '../../config.ts';
import { requestContext } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import type { Access, Principal } from '../access.ts';
import { graphqlError, type HatchEnv } from '../context.ts';
import type { GraphQLServer } from '../graphql.ts';
import { REQUEST_ID_HEADER } from '../request-log.ts';
import { corsHeaders, STREAM_RESPONSE_HEADERS } from '../security.ts';
import { Heartbeat, NodeEventStream, WebEventStream, type EventStream } from './event-stream.ts';
import { SubscriptionHub } from './hub.ts';
import { prepare, type OperationParams, type Prepared } from './operation.ts';

/**
 * The streaming core every live transport shares: the GraphQL pipeline operations run through, the
 * hub that runs subscriptions (shared executions, revocation), the access seam, one set of limits,
 * and the count of streams each credential holds across every transport. SSE (both modes),
 * multipart, WebSocket and the old /api/events only frame what it produces.
 */
export interface StreamingCore {
  graphql: GraphQLServer;
  hub: SubscriptionHub;
  access: Access;
  /** The API's browser rules (CORS headers on streamed responses). */
  browser: AccessConfig;
  limits: StreamLimits;
  /** The comment ping every server-sent event stream gets, so proxies keep quiet streams open. */
  heartbeat: Heartbeat;
  holds: StreamHolds;
  log: Logger;
  /** Prefix of single-connection stream tokens, naming this replica to the reverse proxy. */
  replicaId?: string;
}

export function createStreamingCore(parts: Omit<StreamingCore, 'hub' | 'heartbeat' | 'holds'>): StreamingCore {
  return {
    ...parts,
    hub: new SubscriptionHub(parts.access, parts.log.child({ module: 'subscriptions' })),
    heartbeat: new Heartbeat(),
    holds: new StreamHolds(parts.limits.maxStreamsPerCredential, parts.access),
  };
}

/** The core's metrics, and those of the transports' own connections. */
export function registerStreamingMetrics(core: StreamingCore, metrics: Metrics, transports: { websockets: { size: number }; multipart: { size: number } }): void {
  const delivered = metrics.counter('hatch_events_delivered_total', 'Subscription results written to subscribers.');
  core.hub.onDelivered = (n) => delivered.inc(n);
  metrics.gauge('hatch_event_streams_open', 'Server-sent event streams open now (both SSE modes).', () => core.heartbeat.size);
  metrics.gauge('hatch_subscriptions_active', 'GraphQL subscriptions open now, over every transport.', () => core.hub.stats.subscriptions);
  metrics.gauge('hatch_subscription_executions', 'Executions serving them (subscribers with the same operation share one).', () => core.hub.stats.executions);
  metrics.gauge('hatch_websockets_open', 'graphql-ws connections open now.', () => transports.websockets.size);
  metrics.gauge('hatch_multipart_responses_open', 'Multipart subscription responses open now.', () => transports.multipart.size);
}

/**
 * How many streams each credential holds, across every transport: a single-connection reservation,
 * a distinct SSE stream, a multipart response, a WebSocket, an old-API event stream each count one.
 * A count per credential rather than a search, so that taking a place stays O(1) at 10,000 streams.
 */
export class StreamHolds {
  /** Per credential, its count; the entry's `owner` is the one copy of the key its releases hold. */
  private readonly held = new Map<string, { owner: string; count: number }>();

  constructor(
    private readonly max: number,
    private readonly access: Pick<Access, 'owner'>,
  ) {}

  /** A place for one more stream of `principal`'s, and the way to give it back; undefined at the limit. */
  take(principal: Principal): { release: () => void } | { refused: string } {
    const owner = this.access.owner(principal);
    const found = this.held.get(owner);
    const count = found?.count ?? 0;
    if (count >= this.max) return { refused: `These credentials already hold ${count} live connections; close one first.` };
    const entry = found ?? { owner, count: 0 };
    if (!found) this.held.set(owner, entry);
    entry.count++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        if (--entry.count === 0 && this.held.get(entry.owner) === entry) this.held.delete(entry.owner);
      },
    };
  }

  /** Streams held by every credential together. */
  get total(): number {
    let n = 0;
    for (const { count } of this.held.values()) n += count;
    return n;
  }
}

/** How a transport frames its stream: its content type, its first bytes and its heartbeats. */
export interface Framing {
  contentType?: string;
  preamble?: string;
  heartbeats: Heartbeat[];
}

/**
 * Opens a stream for this request: straight onto the node socket when there is one (the common
 * case), else as a streamed Response. The headers are the API's (security, CORS), since the
 * router's after-middleware cannot add them to a response already on the wire.
 */
export function openStream(c: Context<HatchEnv>, core: StreamingCore, framing: Framing): { stream: EventStream; response: Response } {
  const requestId = requestContext.getStore()?.requestId;
  const headers: Record<string, string> = {
    ...STREAM_RESPONSE_HEADERS,
    ...corsHeaders(c.req.raw, core.browser),
    ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
    ...(framing.contentType ? { 'content-type': framing.contentType } : {}),
  };
  const outgoing = c.env?.outgoing;
  const opened =
    outgoing && 'writeHead' in outgoing
      ? { stream: new NodeEventStream(outgoing, headers, core.limits.maxBufferedBytes, framing.preamble), response: RESPONSE_ALREADY_SENT }
      : (() => {
          const stream = new WebEventStream(headers, core.limits.maxBufferedBytes, framing.preamble);
          return { stream, response: stream.response };
        })();
  for (const heartbeat of framing.heartbeats) heartbeat.add(opened.stream);
  return opened;
}

export function logSlowReader(stream: EventStream, log: Logger, what: Record<string, unknown>): void {
  stream.onClose((reason) => {
    if (reason === 'slow reader') log.warn(what, 'closed an event stream whose reader fell behind; it can resume by cursor');
  });
}

/** How a transport refuses a credential that holds its limit of streams already. */
export type TooManyStreams = (message: string) => Response;

const tooManyStreams: TooManyStreams = (message) => graphqlError(message, 'TOO_MANY_STREAMS', 429);

/**
 * What every one-operation stream (distinct SSE, multipart, the old /api/events) does first: take
 * the credential's place (refused before anything runs: a mutation must not run and then be
 * refused), prepare the operation through the GraphQL pipeline, and open the stream, which gives
 * the place back when it closes.
 */
export async function openOperationStream(
  c: Context<HatchEnv>,
  core: StreamingCore,
  framing: Framing,
  params: OperationParams,
  refuse: TooManyStreams = tooManyStreams,
): Promise<{ principal: Principal; prepared: Prepared; stream: EventStream; response: Response } | Response> {
  const principal = c.get('principal')!;
  const place = core.holds.take(principal);
  if ('refused' in place) return refuse(place.refused);
  let prepared: Prepared;
  try {
    prepared = await prepare(core.graphql, c.req.raw, principal, params, core.log);
  } catch (err) {
    place.release();
    throw err;
  }
  const { stream, response } = openStream(c, core, framing);
  stream.onClose(place.release);
  return { principal, prepared, stream, response };
}
