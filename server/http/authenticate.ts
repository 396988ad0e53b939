import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AccessConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { tokenPrincipal } from '../modules/access/api-tokens.service.ts';
import { localOperator } from '../modules/access/principal.ts';
import { sessionPrincipal } from '../modules/access/sessions.service.ts';
import { graphqlError, type HatchEnv } from './context.ts';
import { isHttps } from './security.ts';

export const SESSION_COOKIE = 'hatch_session';

/**
 * Works out who is calling: an `Authorization: Bearer` API token, else the session cookie of a
 * signed-in operator. With HATCH_AUTH=off everyone is the stand-in operator. A bearer header
 * that is present but wrong is an error even when a cookie would do: a program should hear that
 * its token does not work.
 */
export function authenticate(db: Database, access: AccessConfig, operatorName: string): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    if (!access.auth) {
      c.set('principal', localOperator(operatorName));
      c.set('credentials', 'none');
      return next();
    }
    const header = c.req.header('authorization');
    // A header with no credential in it (GraphiQL's "Bearer " before a token is pasted) is none.
    if (header !== undefined && !/^\s*(Bearer\s*)?$/i.test(header)) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      const principal = token ? await tokenPrincipal(db, token) : undefined;
      c.set('principal', principal ?? null);
      c.set('credentials', principal ? 'token' : 'invalid');
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const found = cookie ? await sessionPrincipal(db, cookie, access.sessionDays) : undefined;
    c.set('principal', found?.principal ?? null);
    c.set('credentials', found ? 'cookie' : cookie ? 'invalid' : 'none');
    if (cookie && !found) clearSessionCookie(c, access);
    if (found?.extendedTo) setSessionCookie(c, access, cookie!, found.extendedTo);
    return next();
  };
}

/** 401 for anyone not signed in, as a GraphQL error a client can branch on. */
export function requireSignIn(): MiddlewareHandler<HatchEnv> {
  return async (c, next) => {
    if (c.get('principal')) return next();
    const invalid = c.get('credentials') === 'invalid';
    return graphqlError(
      invalid ? 'The credentials given are not valid (expired, revoked or mistyped).' : 'Sign in, or send an API token as "Authorization: Bearer <token>".',
      'UNAUTHENTICATED',
      401,
      { 'www-authenticate': 'Bearer realm="hatch"' },
    );
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
