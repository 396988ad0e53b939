import type { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { AccessConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { checkPassword } from '../modules/access/operators.service.ts';
import { endSession, startSession } from '../modules/access/sessions.service.ts';
import { completeSetup } from '../modules/access/setup-link.service.ts';
import { clearSessionCookie, requireSignIn, SESSION_COOKIE, setSessionCookie } from './authenticate.ts';
import type { HatchEnv } from './context.ts';

export const AUTH_PATH = '/auth';

const signInBody = z.object({ email: z.string().max(254), password: z.string().max(1000) });
const setupBody = z.object({ token: z.string().max(200), email: z.string().max(254), name: z.string().max(200).nullish(), password: z.string().max(1000) });

/**
 * The browser's way in and out: `GET /auth/session` (who am I), `POST /auth/sign-in`,
 * `POST /auth/sign-out`, and `POST /auth/setup` with the one-time set-up link's secret. JSON
 * only, so a cross-site form cannot sign someone in or out.
 */
export function mountAuthRoutes(app: Hono<HatchEnv>, db: Database, access: AccessConfig): void {
  // Guessing passwords gets slow: per email, and per address for spraying many emails. (Per
  // process: behind several replicas an attacker gets a few times as many guesses, still few.)
  const perEmail = new RateLimiterMemory({ points: 10, duration: 15 * 60 });
  const perAddress = new RateLimiterMemory({ points: 50, duration: 15 * 60 });

  app.get(`${AUTH_PATH}/session`, requireSignIn(), (c) => {
    const p = c.get('principal')!;
    return c.json({ kind: p.kind, id: p.id, name: p.name, email: p.kind === 'operator' ? p.email : null, authRequired: access.auth });
  });

  app.post(`${AUTH_PATH}/sign-in`, async (c) => {
    const body = signInBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'Send {"email", "password"} as JSON.', code: 'BAD_REQUEST' }, 400);
    const email = body.data.email.trim().toLowerCase();
    const address = c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
    const limited = await Promise.all([perEmail.get(email), perAddress.get(address)]);
    const blocked = limited.find((r) => r && r.remainingPoints <= 0);
    if (blocked) {
      const seconds = Math.ceil(blocked.msBeforeNext / 1000);
      return c.json({ error: `Too many attempts. Try again in ${seconds} s.`, code: 'RATE_LIMITED', retryAfter: seconds }, 429, { 'retry-after': String(seconds) });
    }
    const operator = await checkPassword(db, email, body.data.password);
    if (!operator) {
      await Promise.all([perEmail.penalty(email, 1), perAddress.penalty(address, 1)]);
      return c.json({ error: 'That email and password do not match an operator.', code: 'INVALID_CREDENTIALS' }, 401);
    }
    await perEmail.delete(email);
    // A new session every time: a cookie planted before sign-in is never the one that works after.
    const old = getCookie(c, SESSION_COOKIE);
    if (old) await endSession(db, old);
    const session = await startSession(db, operator.id, access.sessionDays);
    setSessionCookie(c, access, session.secret, session.expiresAt);
    return c.json({ kind: 'operator', id: operator.id, name: operator.name, email: operator.email });
  });

  app.post(`${AUTH_PATH}/sign-out`, async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await endSession(db, cookie);
    clearSessionCookie(c, access);
    return c.json({ signedOut: true });
  });

  app.post(`${AUTH_PATH}/setup`, async (c) => {
    const body = setupBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'Send {"token", "email", "name", "password"} as JSON.', code: 'BAD_REQUEST' }, 400);
    const { token, ...operator } = body.data;
    const result = await completeSetup(db, token, operator);
    if (!result.ok) return c.json({ errors: result.errors }, result.errors.some((e) => e.code === 'SETUP_LINK_INVALID') ? 410 : 400);
    const session = await startSession(db, result.operator.id, access.sessionDays);
    setSessionCookie(c, access, session.secret, session.expiresAt);
    return c.json({ kind: 'operator', ...result.operator });
  });
}
