import type { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { AccessConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { checkPassword } from '../modules/access/operators.service.ts';
import { endSession, startSession } from '../modules/access/sessions.service.ts';
import { completeSetup } from '../modules/access/setup-link.service.ts';
import { acceptInvitation } from '../modules/access/team.service.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import { clearSessionCookie, requireSignIn, SESSION_COOKIE, setSessionCookie } from './authenticate.ts';
import type { HatchEnv } from './context.ts';
import { clientAddress } from './security.ts';
import { isStorable } from '../lib/text.ts';

export const AUTH_PATH = '/auth';

// Text Postgres cannot hold (NUL, half a surrogate pair) is no one's email, name or link: refused
// as a bad request here, rather than failing in the database (a 500) or in the audit log.
const text = (max: number) => z.string().max(max).refine(isStorable);
const signInBody = z.object({ email: text(254), password: z.string().max(1000) });
const setupBody = z.object({ token: text(200), email: text(254), name: text(200).nullish(), password: z.string().max(1000) });

/**
 * The browser's way in and out: `GET /auth/session` (who am I), `POST /auth/sign-in`,
 * `POST /auth/sign-out`, and `POST /auth/setup` with the one-time set-up link's secret. JSON
 * only, so a cross-site form cannot sign someone in or out.
 */
export function mountAuthRoutes(app: Hono<HatchEnv>, db: Database, access: AccessConfig, log: Logger): void {
  const limits = signInLimits();
  app.get(`${AUTH_PATH}/session`, requireSignIn(), (c) => {
    const p = c.get('principal')!;
    return c.json({ kind: p.kind, id: p.id, name: p.name, email: p.kind === 'operator' ? p.email : null, role: p.kind === 'operator' ? p.role : null, authRequired: access.auth });
  });

  app.post(`${AUTH_PATH}/sign-in`, async (c) => {
    const body = signInBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'Send {"email", "password"} as JSON.', code: 'BAD_REQUEST' }, 400);
    const email = body.data.email.trim().toLowerCase();
    const address = clientAddress(c, access);
    // Who tried, as typed, so that an operator can see a guessing run in the log.
    const attempt = { address, account: body.data.email.slice(0, 254) };
    const refused = await limits.admit(address, email);
    if (refused) {
      log.warn({ ...attempt, retryAfter: refused }, 'sign-in refused: too many attempts');
      return c.json({ error: `Too many attempts. Try again in ${refused} s.`, code: 'RATE_LIMITED', retryAfter: refused }, 429, { 'retry-after': String(refused) });
    }
    const operator = await checkPassword(db, email, body.data.password);
    if (!operator || operator.disabled) {
      await recordAudit(db, 'SIGN_IN_FAILED', { actor: { kind: 'NOBODY' }, target: { kind: 'account', name: attempt.account }, address });
    }
    if (operator?.disabled) {
      // Said only to whoever knows the password: it tells a guesser nothing.
      log.warn(attempt, 'sign-in refused: the operator is disabled');
      return c.json({ error: 'This account has been disabled. Ask an admin of your team.', code: 'ACCOUNT_DISABLED' }, 403);
    }
    if (!operator) {
      const delayMs = await limits.failed(email);
      log.warn(attempt, 'sign-in failed');
      // Slower answers for an account under attack, whoever asks: a guesser cannot lock the owner
      // out, and guessing gets slow.
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return c.json({ error: 'That email and password do not match an operator.', code: 'INVALID_CREDENTIALS' }, 401);
    }
    await limits.succeeded(address, email);
    // A new session every time: a cookie planted before sign-in is never the one that works after.
    const old = getCookie(c, SESSION_COOKIE);
    if (old) await endSession(db, old);
    const session = await startSession(db, operator.id, access.sessionDays, { userAgent: c.req.header('user-agent') ?? null, address });
    await recordAudit(db, 'SIGN_IN', { actor: { kind: 'OPERATOR', id: operator.id, name: operator.name }, address });
    setSessionCookie(c, access, session.secret, session.expiresAt);
    return c.json({ kind: 'operator', id: operator.id, name: operator.name, email: operator.email, role: operator.role });
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
    const session = await startSession(db, result.operator.id, access.sessionDays, { userAgent: c.req.header('user-agent') ?? null, address: clientAddress(c, access) });
    setSessionCookie(c, access, session.secret, session.expiresAt);
    return c.json({ kind: 'operator', ...result.operator });
  });

  // Joining the team with an invitation (`/join#<secret>`): the same form as the set-up link's,
  // limited like sign-in per address (a secret of 256 bits is not guessed, but the form is work).
  app.post(`${AUTH_PATH}/join`, async (c) => {
    const body = setupBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'Send {"token", "email", "name", "password"} as JSON.', code: 'BAD_REQUEST' }, 400);
    const address = clientAddress(c, access);
    const refused = await limits.admit(address, 'join');
    if (refused) return c.json({ error: `Too many attempts. Try again in ${refused} s.`, code: 'RATE_LIMITED', retryAfter: refused }, 429, { 'retry-after': String(refused) });
    const { token, ...operator } = body.data;
    const result = await acceptInvitation(db, token, operator, address);
    if (!result.ok) return c.json({ errors: result.errors }, result.errors.some((e) => e.code === 'INVITATION_INVALID') ? 410 : 400);
    await limits.succeeded(address, 'join');
    const session = await startSession(db, result.value.id, access.sessionDays, { userAgent: c.req.header('user-agent') ?? null, address });
    setSessionCookie(c, access, session.secret, session.expiresAt);
    return c.json({ kind: 'operator', ...result.value });
  });
}

/** Failed sign-ins to one account past which its answers slow down, and the slowest answer. */
const SLOW_AFTER = 10;
const MAX_DELAY_MS = 5000;

/**
 * How many guesses sign-in allows (per process: behind several replicas an attacker gets a few
 * times as many, still few). An attempt is counted before its password is checked, so parallel
 * guesses are limited like serial ones:
 * - 10 attempts per 15 minutes per address and account together: a guesser on one address is
 *   stopped, and the owner signing in from elsewhere is not;
 * - 50 per 15 minutes per address, for spraying many accounts (a success gives its point back);
 * - past 10 failures on one account from anywhere, answers for that account slow down, up to 5 s:
 *   slowed, never locked, so a distributed guesser cannot lock the owner out.
 */
export function signInLimits() {
  const perAddressAccount = new RateLimiterMemory({ points: 10, duration: 15 * 60 });
  const perAddress = new RateLimiterMemory({ points: 50, duration: 15 * 60 });
  const accountFailures = new RateLimiterMemory({ points: 1_000_000, duration: 15 * 60 });
  return {
    /** Counts the attempt; the seconds to wait when it is one too many, else undefined. */
    async admit(address: string, account: string): Promise<number | undefined> {
      try {
        await perAddressAccount.consume(`${address}|${account}`);
      } catch (res) {
        return retryAfter(res);
      }
      try {
        await perAddress.consume(address);
      } catch (res) {
        await perAddressAccount.reward(`${address}|${account}`);
        return retryAfter(res);
      }
      return undefined;
    },
    /** Records a failed password; how long to delay the answer. */
    async failed(account: string): Promise<number> {
      const res = await accountFailures.consume(account);
      const over = res.consumedPoints - SLOW_AFTER;
      return over <= 0 ? 0 : Math.min(MAX_DELAY_MS, 250 * 2 ** (over - 1));
    },
    async succeeded(address: string, account: string): Promise<void> {
      await Promise.all([perAddressAccount.delete(`${address}|${account}`), perAddress.reward(address), accountFailures.delete(account)]);
    },
  };
}

function retryAfter(res: unknown): number {
  if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  throw res;
}
