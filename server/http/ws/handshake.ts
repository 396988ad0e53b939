import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import type { AccessConfig } from '../../config.ts';
import type { Access, Principal } from '../access.ts';
import { authenticate } from '../authenticate.ts';
import type { HatchEnv } from '../context.ts';
import { fromOwnPages, hostCheck } from '../security.ts';

/** What the WebSocket handshake (an HTTP GET with `Upgrade: websocket`) told us about the caller. */
export interface Handshake {
  /**
   * The handshake's URL and headers, from which each operation's fetch Request is made for the
   * GraphQL pipeline's plugins. Kept as plain values: a Request (with its Headers, URL and
   * AbortSignal) held for a connection's whole life cost about 1.5 KB more per connection.
   */
  url: string;
  headers: [string, string][];
  /** Who the handshake's own credentials (session cookie, `Authorization` header) sign in, if anyone. */
  principal: Principal | null;
  /** A valid session cookie sent from a page that is not Hatch's own: it must not be used. */
  crossSiteCookie: boolean;
  /** Sign-in is off: everyone is the stand-in operator. */
  authOff: boolean;
}

/**
 * Runs the handshake through the same middleware as every HTTP request (host check, then
 * authenticate), so a WebSocket is subject to exactly the API's rules. A refusal comes back as
 * the Response to write to the socket: 421 for a host name we do not answer to, 401 for an
 * `Authorization` header that does not work.
 */
export function handshakeGate(credentials: Access, access: AccessConfig) {
  const gate = new Hono<HatchEnv>();
  gate.use('*', hostCheck(access));
  gate.use('*', authenticate(credentials, access));
  gate.all('*', (c) => {
    const found = c.env as unknown as { handshake?: Handshake };
    const principal = c.get('principal');
    const credentials = c.get('credentials');
    if (credentials === 'invalid' && c.req.header('authorization') !== undefined) {
      return c.json({ errors: [{ message: 'The credentials given are not valid (expired, revoked or mistyped).', extensions: { code: 'UNAUTHENTICATED' } }] }, 401);
    }
    // With sign-in off, any page the developer visits could otherwise open a WebSocket as the
    // operator (browsers apply no CORS to them): only our own pages, and programs (no Origin).
    if (!access.auth && !fromOwnPages(c.req.raw, access)) {
      return c.json({ errors: [{ message: 'Cross-site WebSockets are refused while sign-in is off.', extensions: { code: 'FORBIDDEN' } }] }, 403);
    }
    // Browsers send the cookie with any page's WebSocket (there is no CORS for them): a session
    // counts only from Hatch's own pages, as on HTTP.
    const crossSite = credentials === 'cookie' && !fromOwnPages(c.req.raw, access);
    found.handshake = { url: c.req.url, headers: operationHeaders(c.req.raw.headers), principal: crossSite ? null : principal, crossSiteCookie: crossSite, authOff: !access.auth };
    return c.body(null, 204);
  });

  return async (req: IncomingMessage): Promise<Handshake | Response> => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), { headers });
    const holder: { handshake?: Handshake } = {};
    const response = await gate.fetch(request, holder);
    return holder.handshake ?? response;
  };
}

/**
 * The handshake's headers each operation's request is made with: not the WebSocket's own
 * (`sec-websocket-*`, `upgrade`, `connection`), which belong to the handshake, nor its credentials,
 * which are settled by now (the connection's principal) and need not stay in memory for its life.
 */
const HANDSHAKE_ONLY = /^(sec-websocket-|upgrade$|connection$|authorization$|cookie$)/;

function operationHeaders(headers: Headers): [string, string][] {
  return [...headers].filter(([name]) => !HANDSHAKE_ONLY.test(name));
}

/** The credential a client put in `connection_init`'s payload, in the shapes clients commonly use. */
export function paramsCredential(params: Record<string, unknown> | undefined): string | undefined {
  if (!params) return undefined;
  const headers = typeof params.headers === 'object' && params.headers ? (params.headers as Record<string, unknown>) : {};
  const given = [params.authorization, params.Authorization, params.token, headers.authorization, headers.Authorization].find((v) => v !== undefined && v !== null);
  if (given === undefined) return undefined;
  // "Bearer hatch_…" or the bare token; anything else is a credential that does not work.
  return typeof given === 'string' ? (/^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(given)?.[1] ?? '') : '';
}

export type ConnectionAuth = { ok: true; principal: Principal } | { ok: false; code: 4401 | 4403; reason: string };

/**
 * Who a connection acts as once `connection_init` arrives: a token in its payload first (a program
 * says who it is there, since browsers cannot set headers on a WebSocket), else the handshake's
 * credentials. 4401 (Unauthorized) when nobody, 4403 (Forbidden) for a session from another site.
 */
export async function connectionAuth(credentials: Pick<Access, 'byToken'>, handshake: Handshake, params: Record<string, unknown> | undefined): Promise<ConnectionAuth> {
  if (handshake.authOff && handshake.principal) return { ok: true, principal: handshake.principal };
  const token = paramsCredential(params);
  if (token !== undefined) {
    const principal = token ? await credentials.byToken(token) : undefined;
    if (principal) return { ok: true, principal };
    return { ok: false, code: 4401, reason: 'The token given is not valid (expired, revoked or mistyped).' };
  }
  if (handshake.principal) return { ok: true, principal: handshake.principal };
  if (handshake.crossSiteCookie) return { ok: false, code: 4403, reason: 'Cross-site pages cannot use this browser session.' };
  return { ok: false, code: 4401, reason: 'Send an API token in connection_init: { "authorization": "Bearer <token>" }.' };
}
