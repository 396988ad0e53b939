import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AccessConfig } from '../config.ts';
import type { Access } from './access.ts';
import { graphqlError, type HatchEnv } from './context.ts';
import { closeAfter } from './request-body.ts';
import { hasBody, isHttps } from './security.ts';

export const SESSION_COOKIE = 'hatch_session';

/**
 * Works out who is calling: an `Authorization: Bearer` API token, else the session cookie of a
 * signed-in operator. With HATCH_AUTH=off everyone is the stand-in operator. A bearer header
 * that is present but wrong is an error even when a cookie would do: a program should hear that
 * its token does not work.
 */
export function authenticate(credentials: Access, access: AccessConfig): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    if (!credentials.required) {
      c.set('principal', credentials.local);
      c.set('credentials', 'none');
      return next();
    }
    const header = c.req.header('authorization');
    // A header with no credential in it (GraphiQL's "Bearer " before a token is pasted) is none.
    if (header !== undefined && !/^\s*(Bearer\s*)?$/i.test(header)) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      const principal = token ? await credentials.byToken(token) : undefined;
      c.set('principal', principal ?? null);
      c.set('credentials', principal ? 'token' : 'invalid');
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const found = cookie ? await credentials.bySession(cookie) : undefined;
    c.set('principal', found?.principal ?? null);
    c.set('credentials', found ? 'cookie' : cookie ? 'invalid' : 'none');
    if (cookie && !found) clearSessionCookie(c, access);
    if (found?.extendedTo) setSessionCookie(c, access, cookie!, found.extendedTo);
    return next();
  };
}

export const INVALID_CREDENTIALS = 'The credentials given are not valid (expired, revoked or mistyped).';
export const NO_CREDENTIALS = 'Sign in, or send an API token as "Authorization: Bearer <token>".';
export const CHALLENGE = { 'www-authenticate': 'Bearer realm="hatch"' };

/** The 401 a caller who is not signed in gets, in the shape of the API it called. */
export type Refusal = (message: string) => Response;

const graphqlRefusal: Refusal = (message) => graphqlError(message, 'UNAUTHENTICATED', 401, CHALLENGE);

/** 401 for anyone not signed in: as a GraphQL error a client can branch on, or in another API's shape. */
export function requireSignIn(refuse: Refusal = graphqlRefusal): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    if (c.get('principal')) return next();
    return refuse(c.get('credentials') === 'invalid' ? INVALID_CREDENTIALS : NO_CREDENTIALS);
  };
}

export function setSessionCookie(c: Context<HatchEnv>, access: AccessConfig, secret: string, expires: Date): void {
  setCookie(c, SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c.req.raw, access),
    expires,
  });
}

export function clearSessionCookie(c: Context<HatchEnv>, access: AccessConfig): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c.req.raw, access) });
}

/**
 * A request with a body and no working credential is refused before the body is read (and the
 * connection closed, since its body is still on the wire): otherwise anyone could make the server
 * hold megabytes per connection. Sign-in is the exception, its body being the credential.
 */
export function noBodyFromAnonymous(): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    if (c.get('principal') || c.req.path.startsWith('/auth/') || !hasBody(c.req.raw)) return next();
    const message = c.get('credentials') === 'invalid' ? INVALID_CREDENTIALS : NO_CREDENTIALS;
    const refusal = graphqlError(message, 'UNAUTHENTICATED', 401, CHALLENGE);
    return c.env?.incoming ? closeAfter(c.env.incoming, refusal) : refusal;
  };
}
