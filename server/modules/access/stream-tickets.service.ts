import type { Database } from '../../db/database.ts';
import { liveSession } from '../../db/tables/sessions.ts';
import { consumeStreamTicket, insertStreamTicket, workingToken } from '../../db/tables/stream-tickets.ts';
import { revocationKey, type Principal } from './principal.ts';
import { newSecret, secretHash } from './secrets.ts';

/** How long a stream ticket may wait to be used. */
export const STREAM_TICKET_TTL_MS = 60_000;

/**
 * A ticket that opens one event stream as `principal`: for a browser's EventSource, which cannot
 * send a token, on a page of another origin (on our own origin the session cookie works). It is
 * single use and short-lived because it travels in a URL (proxies' logs, browser history).
 * Undefined for a principal with no revocable credential (the stand-in operator with sign-in off).
 */
export async function issueStreamTicket(db: Database, principal: Principal): Promise<{ ticket: string; expiresInSeconds: number } | undefined> {
  const credential = revocationKey(principal);
  if (!credential) return undefined;
  const ticket = newSecret('hatch_ticket_');
  await insertStreamTicket(db, { ticketHash: secretHash(ticket), credential, ttlMs: STREAM_TICKET_TTL_MS });
  return { ticket, expiresInSeconds: STREAM_TICKET_TTL_MS / 1000 };
}

/** Who a ticket signs in, using it up; undefined when it is unknown, used, expired, or its credential stopped working. */
export async function redeemStreamTicket(db: Database, ticket: string): Promise<Principal | undefined> {
  if (ticket.length > 200) return undefined;
  const credential = await consumeStreamTicket(db, secretHash(ticket));
  if (!credential) return undefined;
  const [kind, id] = credential.split(':', 2) as [string, string];
  if (kind === 'token') {
    const token = await workingToken(db, id);
    return token && { kind: 'token', id: token.id, name: token.name, scope: token.scope };
  }
  const session = await liveSession(db, id);
  return session && { kind: 'operator', id: session.operatorId, name: session.name, email: session.email, role: session.role, sessionId: id };
}
