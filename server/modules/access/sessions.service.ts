import type { Database } from '../../db/database.ts';
import { deleteSession, extendSession, insertSession, liveSession, sessionsOf, type SessionRecord } from '../../db/tables/sessions.ts';
import type { Principal } from './principal.ts';
import { newSecret, secretHash } from './secrets.ts';
import { notifyRevoked } from './revocations.ts';
import { recordAudit } from '../audit/audit.service.ts';

const DAY_MS = 86_400_000;
// A session in use is extended at most this often, so an active inbox does not write per request.
const EXTEND_EVERY_MS = 3_600_000;

export interface NewSession {
  /** The cookie's value; only its hash is stored. */
  secret: string;
  expiresAt: Date;
}

/** What the sign-in request said about where it came from, kept to show the operator their sessions. */
export interface SignInDevice {
  userAgent: string | null;
  address: string | null;
}

export async function startSession(db: Database, operatorId: string, ttlDays: number, device: SignInDevice = { userAgent: null, address: null }): Promise<NewSession> {
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + ttlDays * DAY_MS);
  // Bounded: a header is the client's to write.
  await insertSession(db, { id: secretHash(secret), operatorId, expiresAt, userAgent: device.userAgent?.slice(0, 512) ?? null, address: device.address?.slice(0, 100) ?? null });
  return { secret, expiresAt };
}

export interface OwnSession extends Omit<SessionRecord, 'id'> {
  /** Not the stored id (the cookie's hash, which revocations name): a name derived from it. */
  id: string;
  current: boolean;
}

const publicId = (storedId: string) => secretHash(`session-list:${storedId}`).slice(0, 32);

/** The operator's sessions that still work, the one asking marked. */
export async function ownSessions(db: Database, operatorId: string, currentId: string | undefined): Promise<OwnSession[]> {
  return (await sessionsOf(db, operatorId)).map((s) => ({ ...s, id: publicId(s.id), current: s.id === currentId }));
}

/**
 * Ends sessions of this operator: the one named (by the id `ownSessions` gives), or every one but
 * `allBut` (the caller's own). Whatever they have open ends at once, on every replica. Returns how many ended.
 */
export async function endOwnSessions(db: Database, operator: { id: string; name: string }, which: { id: string } | { allBut: string | undefined }): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = (await sessionsOf(tx, operator.id)).filter((s) => ('id' in which ? publicId(s.id) === which.id : s.id !== which.allBut));
    for (const s of ended) if (await deleteSession(tx, s.id)) await notifyRevoked(tx, `session:${s.id}`);
    if (ended.length) {
      const actor = { kind: 'OPERATOR' as const, id: operator.id, name: operator.name };
      await recordAudit(tx, 'SESSIONS_ENDED', { actor, target: { kind: 'sessions', id: String(ended.length), name: 'id' in which ? 'one session' : 'every other session' } });
    }
    return ended.length;
  });
}

export interface SessionLookup {
  principal: Principal;
  /** Set when the session was extended: the cookie should be sent again with this expiry. */
  extendedTo?: Date;
}

/** The operator a session cookie signs in, extending the session while it is used. */
export async function sessionPrincipal(db: Database, secret: string, ttlDays: number): Promise<SessionLookup | undefined> {
  const id = secretHash(secret);
  const row = await liveSession(db, id);
  if (!row) return undefined;
  const principal: Principal = { kind: 'operator', id: row.operatorId, email: row.email, name: row.name, role: row.role, sessionId: id };
  const full = Date.now() + ttlDays * DAY_MS;
  if (full - row.expiresAt.getTime() < EXTEND_EVERY_MS) return { principal };
  const extendedTo = new Date(full);
  await extendSession(db, id, extendedTo);
  return { principal, extendedTo };
}

/** Signs a session out; whatever it has open (subscriptions) ends at once, on every replica. */
export async function endSession(db: Database, secret: string): Promise<void> {
  const id = secretHash(secret);
  await db.transaction(async (tx) => {
    if (await deleteSession(tx, id)) await notifyRevoked(tx, `session:${id}`);
  });
}
