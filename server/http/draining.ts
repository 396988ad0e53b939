import type { MiddlewareHandler } from 'hono';
import type { HatchEnv } from './context.ts';

/**
 * While the server is stopping, every response says `Connection: close`, so its connection ends
 * once it is answered. Node's server.close() stops accepting connections but keeps serving the
 * ones it has, and a proxy's keepalive pool (nginx in front of replicas) keeps sending requests
 * on them: without this, stopping waited for the pool to go quiet for the keep-alive timeout, and
 * under load ran into SHUTDOWN_TIMEOUT and exited 1. Responses already under way when stopping
 * began (event streams) are ended by the shutdown itself.
 */
export function closeConnectionsWhenDraining(draining: () => boolean): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    await next();
    if (draining()) c.res.headers.set('connection', 'close');
  };
}
