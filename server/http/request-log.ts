import { randomUUID } from 'node:crypto';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { requestContext } from '../logger.ts';
import { boundedLabel, type Metrics } from '../metrics.ts';
import type { HatchEnv } from './context.ts';

export const REQUEST_ID_HEADER = 'x-request-id';
const GOOD_ID = /^[\w.:-]{1,128}$/;

/** Which part of the server a path belongs to, as a metrics label (paths themselves are unbounded). */
function route(path: string, webhooks: ReadonlyMap<string, string>): string {
  if (path === '/graphql' || path.startsWith('/graphql/')) return path === '/graphql/stream' ? 'graphql-stream' : 'graphql';
  if (path.startsWith('/auth/')) return 'auth';
  const webhook = webhooks.get(path);
  if (webhook) return webhook;
  if (path.startsWith('/api/')) return 'api';
  if (path === '/health' || path === '/ready') return 'probe';
  if (path === '/metrics') return 'metrics';
  return 'page';
}

/**
 * The first thing every request meets: an id (the caller's X-Request-Id when it sends a sane one,
 * else a new one) returned on the response and carried by every log line written while serving it,
 * then one log line for the request (method, route, GraphQL operation, status, duration, caller),
 * and the request metrics. Bodies, numbers and credentials stay out of it.
 */
export function requestLog(log: Logger, metrics: Metrics, webhooks: ReadonlyMap<string, string> = new Map()): MiddlewareHandler<HatchEnv> {
  const operations = new Set<string>();
  return async (c, next) => {
    const given = c.req.header(REQUEST_ID_HEADER);
    const requestId = given && GOOD_ID.test(given) ? given : randomUUID();
    const context = { requestId, operation: undefined as string | undefined };
    const started = performance.now();
    await requestContext.run(context, next);
    const seconds = (performance.now() - started) / 1000;
    const streamed = c.res === RESPONSE_ALREADY_SENT;
    if (!streamed) c.res.headers.set(REQUEST_ID_HEADER, requestId);
    const status = streamed ? 200 : c.res.status;
    const labels = { route: route(c.req.path, webhooks), operation: boundedLabel(operations, context.operation) };
    metrics.httpRequests.inc({ ...labels, status: `${Math.floor(status / 100)}xx` });
    metrics.httpDuration.observe(labels, seconds);
    if (labels.route === 'probe' || labels.route === 'metrics' || labels.route === 'page') return;
    const principal = c.get('principal');
    log.info(
      {
        requestId,
        method: c.req.method,
        route: labels.route,
        operation: context.operation,
        status,
        stream: streamed || undefined,
        ms: Math.round(seconds * 1000),
        caller: principal ? `${principal.kind}:${principal.name}` : undefined,
      },
      'request',
    );
  };
}
