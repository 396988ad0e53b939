import type { Database } from '../../db/database.ts';
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
  await db.query('INSERT INTO "sessions" ("id", "operator_id", "expires_at") VALUES ($1, $2, $3)', [secretHash(secret), operatorId, expiresAt]);
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
  const [row] = await db.query<{ operator_id: string; email: string; name: string; expires_at: Date }>(
    `SELECT s."operator_id", o."email", o."name", s."expires_at" FROM "sessions" s JOIN "operators" o ON o."id" = s."operator_id"
      WHERE s."id" = $1 AND s."expires_at" > now()`,
    [id],
  );
  if (!row) return undefined;
  const principal: Principal = { kind: 'operator', id: row.operator_id, email: row.email, name: row.name, sessionId: id };
  const full = Date.now() + ttlDays * DAY_MS;
  if (full - new Date(row.expires_at).getTime() < EXTEND_EVERY_MS) return { principal };
  const extendedTo = new Date(full);
  await db.query('UPDATE "sessions" SET "expires_at" = $2 WHERE "id" = $1', [id, extendedTo]);
  return { principal, extendedTo };
}

/** Signs a session out; whatever it has open (subscriptions) ends at once, on every replica. */
export async function endSession(db: Database, secret: string): Promise<void> {
  const id = secretHash(secret);
  await db.transaction(async (tx) => {
    const rows = await tx.query('DELETE FROM "sessions" WHERE "id" = $1 RETURNING "id"', [id]);
    if (rows.length) await notifyRevoked(tx, `session:${id}`);
  });
}
