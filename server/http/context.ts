import type { HttpBindings } from '@hono/node-server';
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
