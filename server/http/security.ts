import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { AccessConfig } from '../config.ts';
import { GRAPHQL_PATH } from './graphql.ts';
import { graphqlError, type HatchEnv } from './context.ts';

/** Probes: orchestrators call them by IP address, so an IP literal is accepted there as well. */
const PROBES = new Set(['/health', '/ready', '/metrics']);

/**
 * Refuses a request whose Host is not one this server answers to (DNS rebinding: a hostile page
 * whose name resolves to 127.0.0.1 would otherwise reach a server on loopback with the browser's
 * same-origin blessing).
 */
export function hostCheck(access: AccessConfig, webhookPaths: string[] = []): MiddlewareHandler<HatchEnv> {
  const allowed = new Set(access.allowedHosts.map((h) => h.toLowerCase()));
  // Providers' webhooks answer any host: their signature already covers the URL they were sent to.
  const anyHost = new Set(webhookPaths);
  return async (c, next) => {
    if (anyHost.has(c.req.path)) return next();
    // A rebinding page reaches us under its own *name*; an address is never a rebound name, so a
    // probe called by IP (as orchestrators do) is answered, and a probe called by a foreign name is not.
    const byAddress = PROBES.has(c.req.path);
    // Host always (a browser cannot forge it); X-Forwarded-Host too when a proxy is trusted to set
    // it, since a page that rebinds its own name to us may send any header to its "own" origin.
    const given = [c.req.header('host') ?? new URL(c.req.url).host];
    const forwarded = access.trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
    if (forwarded) given.push(forwarded);
    const refused = given.find((h) => {
      const name = hostname(h) ?? '';
      return !allowed.has(name) && !(byAddress && isIP(name) !== 0);
    });
    if (refused === undefined) return next();
    return c.text(`This server does not answer to the host name "${refused}". Set PUBLIC_URL or ALLOWED_HOSTS to include it.\n`, 421);
  };
}

function hostname(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/** The origin this request was made to, as the browser saw it. */
export function requestOrigin(request: Request, access: AccessConfig): string {
  const url = new URL(request.url);
  if (access.trustProxy) {
    const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    if (proto || host) return `${proto ?? url.protocol.slice(0, -1)}://${host ?? url.host}`;
  }
  return url.origin;
}

/**
 * The address of the client: the socket's peer, or under TRUST_PROXY the last X-Forwarded-For
 * entry (the one our proxy added; anything before it the client could have written itself).
 */
export function clientAddress(c: Context<HatchEnv>, access: AccessConfig): string {
  const peer = c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
  if (!access.trustProxy) return peer;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').map((a) => a.trim()).filter(Boolean);
  return forwarded?.at(-1) ?? peer;
}

/** True when the request reached us over HTTPS (directly, or at a proxy we trust). */
export function isHttps(request: Request, access: AccessConfig): boolean {
  return requestOrigin(request, access).startsWith('https:');
}

/**
 * A browser may only use its session from our own pages (or CORS_ORIGINS): a cross-site form or
 * script that rides on the cookie is refused before anything runs. Programs with a bearer token
 * are not subject to this; browsers always send Origin on unsafe requests.
 */
export function sameOriginOnly(access: AccessConfig): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    // With sign-in off every request is the operator's, so every browser request is ambient
    // authority: the same rule as for a cookie, or any page the developer visits could send SMS.
    const ambient = c.get('credentials') === 'cookie' || !access.auth;
    if (!ambient || ['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next();
    if (fromOwnPages(c.req.raw, access)) return next();
    return graphqlError('Cross-site requests cannot use this browser session.', 'FORBIDDEN', 403);
  };
}

/** Unsafe requests only from our own pages, whoever is calling (for sign-in, which has no credential yet). */
export function ownPagesOnly(access: AccessConfig): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) || fromOwnPages(c.req.raw, access)) return next();
    return graphqlError('Cross-site requests cannot sign in.', 'FORBIDDEN', 403);
  };
}

/** Whether a request comes from Hatch's own pages (or CORS_ORIGINS), or from no page at all. */
export function fromOwnPages(request: Request, access: AccessConfig): boolean {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  const trusted = new Set([requestOrigin(request, access), ...access.corsOrigins]);
  if (access.publicUrl) trusted.add(new URL(access.publicUrl).origin);
  return origin ? trusted.has(origin) : !site || site === 'same-origin' || site === 'none';
}

// A body is JSON only when it says so (application/json, application/*+json). Anything else a
// cross-site <form> or a no-cors fetch can send without a CORS preflight (a form's types, text, or a
// Blob with no type at all), so refusing it closes the CSRF door whatever the credentials.
const JSON_BODY = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

export function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  return request.headers.has('transfer-encoding') || (length !== null && length.trim() !== '0');
}

export function jsonBodiesOnly(): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT') return next();
    if (!hasBody(c.req.raw) || JSON_BODY.test(c.req.header('content-type') ?? '')) return next();
    return graphqlError('Send request bodies as application/json.', 'BAD_REQUEST', 415);
  };
}

const CORS_HEADERS = 'authorization, content-type, accept, x-graphql-event-stream-token, x-request-id';
const CORS_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';

/** The CORS headers an actual (not preflight) API response carries for this request's origin. */
export function corsHeaders(request: Request, access: AccessConfig): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || !access.corsOrigins.includes(origin)) return { vary: 'Origin' };
  return { vary: 'Origin', 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' };
}

/**
 * CORS for the API: only CORS_ORIGINS (none by default); a preflight from any other origin is
 * refused. (Hono's cors middleware adds its Vary header after the handler by rebuilding the
 * response, which breaks a live event stream; here the headers go onto the response in place.)
 */
export function apiCors(access: AccessConfig): MiddlewareHandler<HatchEnv> {
  const allowed = new Set(access.corsOrigins);
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS' && origin !== undefined) {
      if (!allowed.has(origin)) return c.body(null, 403);
      return c.body(null, 204, {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-allow-headers': CORS_HEADERS,
        'access-control-allow-methods': CORS_METHODS,
        'access-control-max-age': '600',
        vary: 'Origin',
      });
    }
    await next();
    if (c.res === RESPONSE_ALREADY_SENT) return;
    for (const [name, value] of Object.entries(corsHeaders(c.req.raw, access))) c.res.headers.set(name, value);
  };
}

const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // MMS pictures come from the provider's media hosts.
  "img-src 'self' data: blob: https: http:",
  "media-src 'self' https: http:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// GraphiQL's editor (Monaco) injects style elements and runs its language services in workers
// started from blob: URLs.
const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers every response carries, whatever it is (helmet's and Hono's secureHeaders' set, with
 * frames forbidden outright and no referrer: conversation URLs name people's numbers); streams
 * carry the part of them that applies to a stream (STREAM_RESPONSE_HEADERS).
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/**
 * What a long-lived stream (server-sent events, multipart) is sent with: the headers that govern
 * any response (no sniffing it into something else, not readable by other sites' pages, never
 * framed), without those that only govern a document (CSP, the opener, referrers, HSTS, which the
 * page's own responses set). Node keeps a response's header block for as long as the response is
 * open, so at tens of thousands of streams the other ten cost about 0.5 KB each.
 */
export const STREAM_RESPONSE_HEADERS: Record<string, string> = {
  'x-content-type-options': SECURITY_HEADERS['x-content-type-options']!,
  'cross-origin-resource-policy': SECURITY_HEADERS['cross-origin-resource-policy']!,
  'x-frame-options': SECURITY_HEADERS['x-frame-options']!,
};

/** Security headers on every response, with a Content-Security-Policy for what each one is. */
export function securityHeaders(): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    await next();
    // An event stream written straight to the socket sent STREAM_RESPONSE_HEADERS itself.
    if (c.res === RESPONSE_ALREADY_SENT) return;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
    const html = c.res.headers.get('content-type')?.startsWith('text/html');
    c.res.headers.set('content-security-policy', !html ? API_CSP : c.req.path === GRAPHQL_PATH ? GRAPHIQL_CSP : PAGE_CSP);
  };
}
