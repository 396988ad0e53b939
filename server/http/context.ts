import type { HttpBindings } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Principal } from './access.ts';

/** What the router's middleware learns about a request, for the handlers after it. */
export interface HatchEnv {
  /** The node request and response, when served by node:http (absent in-process). */
  Bindings: Partial<HttpBindings>;
  Variables: {
    /** Who signed the request in; null when nobody did. */
    principal: Principal | null;
    /** How: a session cookie (subject to the browser's rules) or a bearer token. */
    credentials: 'cookie' | 'token' | 'none' | 'invalid';
  };
}

/** A GraphQL-shaped refusal, so GraphQL clients show it like any other error. */
export function graphqlError(message: string, code: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** Whether the client's Accept header ranks application/graphql-response+json at least as high as JSON. */
export function prefersGraphqlResponse(accept: string | undefined): boolean {
  if (!accept) return false;
  const q = (type: string) => {
    for (const part of accept.split(',')) {
      const [name, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      if (name !== type) continue;
      const given = params.find((p) => p.startsWith('q='));
      return given ? Number(given.slice(2)) : 1;
    }
    return -1;
  };
  const graphql = q(GRAPHQL_RESPONSE);
  return graphql > 0 && graphql >= Math.max(q('application/json'), 0);
}

/**
 * Refusals made before Yoga (401, 403, 413, 415, 408) in the media type the client prefers: a
 * client that asked for application/graphql-response+json (Apollo Client 4) reads a GraphQL error
 * only from that type, and otherwise shows "Received status code 401" instead of UNAUTHENTICATED.
 */
export function refusalsInPreferredType(): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    await next();
    if (c.res === RESPONSE_ALREADY_SENT || c.res.status < 400) return;
    if (!c.res.headers.get('content-type')?.startsWith('application/json')) return;
    if (prefersGraphqlResponse(c.req.header('accept'))) c.res.headers.set('content-type', `${GRAPHQL_RESPONSE}; charset=utf-8`);
  };
}
