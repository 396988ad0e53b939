// The server's sign-in endpoints (/auth/*). They take JSON only: the server refuses form posts, so
// another site's form cannot sign anyone in or out.

/** Who the session belongs to, as GET /auth/session and a successful sign-in answer. */
export interface SessionInfo {
  kind: 'operator' | 'token';
  id: string;
  name: string;
  email: string | null;
  /** An operator's role (ADMIN also manages the team, API tokens and settings); null for a program. Older servers send none. */
  role?: 'ADMIN' | 'AGENT' | null;
  /** False when the server runs with sign-in turned off (HATCH_AUTH=off): there is nothing to sign out of. */
  authRequired: boolean;
}

export type SessionCheck = { kind: 'signed-in'; session: SessionInfo } | { kind: 'signed-out' } | { kind: 'unreachable' };

export type SignInOutcome =
  | { ok: true; session: SessionInfo }
  | { ok: false; code: 'INVALID_CREDENTIALS' | 'RATE_LIMITED' | 'FAILED'; message: string; retryAfter?: number };

export interface FieldProblem {
  field: string | null;
  code: string;
  message: string;
}

export type SetupOutcome =
  | { ok: true; session: SessionInfo }
  | { ok: false; kind: 'invalid'; errors: FieldProblem[] }
  | { ok: false; kind: 'link-invalid'; message: string }
  | { ok: false; kind: 'failed'; message: string };

const UNREACHABLE = 'Hatch could not be reached. Check the connection and try again.';

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json().catch(() => ({}))) as Record<string, unknown>;
}

function session(body: Record<string, unknown>): SessionInfo {
  return {
    kind: body.kind === 'token' ? 'token' : 'operator',
    id: String(body.id ?? ''),
    name: String(body.name ?? ''),
    email: typeof body.email === 'string' && body.email !== '' ? body.email : null,
    role: body.role === 'ADMIN' || body.role === 'AGENT' ? body.role : null,
    // Only /auth/session says; a sign-in or set-up answer implies it.
    authRequired: body.authRequired !== false,
  };
}

export async function checkSession(): Promise<SessionCheck> {
  try {
    const res = await fetch('/auth/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.status === 401) return { kind: 'signed-out' };
    if (!res.ok) return { kind: 'unreachable' };
    return { kind: 'signed-in', session: session(await json(res)) };
  } catch {
    return { kind: 'unreachable' };
  }
}

export async function signIn(email: string, password: string): Promise<SignInOutcome> {
  let res: Response;
  try {
    res = await post('/auth/sign-in', { email, password });
  } catch {
    return { ok: false, code: 'FAILED', message: UNREACHABLE };
  }
  const body = await json(res);
  if (res.ok) return { ok: true, session: session(body) };
  if (res.status === 429) {
    const retryAfter = Number(body.retryAfter ?? res.headers.get('retry-after') ?? 60);
    return { ok: false, code: 'RATE_LIMITED', retryAfter, message: `Too many attempts. Try again in ${waitText(retryAfter)}.` };
  }
  if (res.status === 401) return { ok: false, code: 'INVALID_CREDENTIALS', message: 'That email and password do not match an operator.' };
  return { ok: false, code: 'FAILED', message: typeof body.error === 'string' ? body.error : `Signing in failed (HTTP ${res.status}).` };
}

/** True once the server has ended the session (and cleared its cookie). */
export async function signOut(): Promise<boolean> {
  try {
    return (await post('/auth/sign-out', {})).ok;
  } catch {
    return false;
  }
}

/**
 * Makes an operator with a one-time link's secret and signs them in: the set-up link's (the first
 * operator) or an invitation's (`/auth/join`).
 */
export async function setUp(input: { token: string; name: string; email: string; password: string }, path: '/auth/setup' | '/auth/join' = '/auth/setup'): Promise<SetupOutcome> {
  let res: Response;
  try {
    res = await post(path, input);
  } catch {
    return { ok: false, kind: 'failed', message: UNREACHABLE };
  }
  const body = await json(res);
  if (res.ok) return { ok: true, session: session(body) };
  const errors = Array.isArray(body.errors) ? (body.errors as FieldProblem[]) : [];
  if (res.status === 410) return { ok: false, kind: 'link-invalid', message: errors[0]?.message ?? 'This link has been used or replaced.' };
  if (res.status === 400 && errors.length) return { ok: false, kind: 'invalid', errors };
  if (res.status === 429) return { ok: false, kind: 'failed', message: typeof body.error === 'string' ? body.error : 'Too many attempts. Try again later.' };
  return { ok: false, kind: 'failed', message: `Setting up failed (HTTP ${res.status}).` };
}

/** "45 s", "3 min", "14 min 10 s": a wait the way people say it. */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${min} min ${rest} s` : `${min} min`;
}
