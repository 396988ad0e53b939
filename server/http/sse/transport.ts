import type { Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Logger } from 'pino';
import type { AccessConfig } from '../../config.ts';
import { requestContext } from '../../logger.ts';
import type { HatchEnv } from '../context.ts';
import { REQUEST_ID_HEADER } from '../request-log.ts';
import type { GraphQLServer } from '../graphql.ts';
import { API_RESPONSE_HEADERS, corsHeaders } from '../security.ts';
import { Heartbeat, NodeEventStream, WebEventStream, type EventStream } from './event-stream.ts';
import type { SubscriptionHub } from './hub.ts';

export interface StreamLimits {
  /** Unsent bytes a stream may hold before its reader counts as too slow and is cut off. */
  maxBufferedBytes: number;
  /** Operations one single-connection stream may run at once. */
  maxSubscriptionsPerStream: number;
  /** How long a reserved single-connection stream waits to be opened before it is forgotten. */
  reservationTtlMs: number;
  /** Streams (reserved or open) one credential may hold in single-connection mode. */
  maxStreamsPerCredential: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxBufferedBytes: 1024 * 1024,
  maxSubscriptionsPerStream: 100,
  reservationTtlMs: 30_000,
  maxStreamsPerCredential: 100,
};

/** What both SSE modes share: the GraphQL pipeline, the subscription hub, limits and the heartbeat. */
export interface SseDeps {
  graphql: GraphQLServer;
  hub: SubscriptionHub;
  heartbeat: Heartbeat;
  access: AccessConfig;
  limits: StreamLimits;
  log: Logger;
  /** Prefix of single-connection stream tokens, naming this replica to the reverse proxy. */
  replicaId?: string;
}

/**
 * Opens an event stream for this request: straight onto the node socket when there is one (the
 * common case), else as a streamed Response. The headers are the API's (security, CORS), since
 * the router's after-middleware cannot add them to a response already on the wire.
 */
export function openStream(c: Context<HatchEnv>, deps: SseDeps): { stream: EventStream; response: Response } {
  const requestId = requestContext.getStore()?.requestId;
  const headers = { ...API_RESPONSE_HEADERS, ...corsHeaders(c.req.raw, deps.access), ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}) };
  const outgoing = c.env?.outgoing;
  if (outgoing && 'writeHead' in outgoing) {
    const stream = new NodeEventStream(outgoing, headers, deps.limits.maxBufferedBytes);
    deps.heartbeat.add(stream);
    return { stream, response: RESPONSE_ALREADY_SENT };
  }
  const stream = new WebEventStream(headers, deps.limits.maxBufferedBytes);
  deps.heartbeat.add(stream);
  return { stream, response: stream.response };
}

export function logSlowReader(stream: EventStream, log: Logger, what: Record<string, unknown>): void {
  stream.onClose((reason) => {
    if (reason === 'slow reader') log.warn(what, 'closed an event stream whose reader fell behind; it can resume by cursor');
  });
}
