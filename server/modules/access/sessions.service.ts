import type { Database } from '../../db/database.ts';
import { deleteSession, extendSession, insertSession, liveSession } from '../../db/tables/sessions.ts';
import type { Principal } from './principal.ts';
import { newSecret, secretHash } from './secrets.ts';
import { notifyRevoked } from './revocations.ts';

const DAY_MS = 86_400_000;
// A session in use is extended at most this often, so an active inbox does not write per request.
const EXTEND_EVERY_MS = 3_600_000;

export interface NewSession {
  /** The cookie's value; only its hash is stored. */
  secret: string;
  expiresAt: Date;
}

export async function startSession(db: Database, operatorId: string, ttlDays: number): Promise<NewSession> {
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + ttlDays * DAY_MS);
  await insertSession(db, { id: secretHash(secret), operatorId, expiresAt });
  return { secret, expiresAt };
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
  const principal: Principal = { kind: 'operator', id: row.operatorId, email: row.email, name: row.name, sessionId: id };
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
