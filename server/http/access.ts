// The one seam between the transports and the access module: who a credential signs in, who owns a
// stream, and a way to hear that a credential stopped working. Every transport (HTTP middleware,
// event streams, multipart, WebSocket, the old /api) reaches access through here, so a change in how
// credentials are checked (a cache, another kind of credential) is made once.
import type { Database } from '../db/database.ts';
import { authorOf, canSend, localOperator, revocationKey, type Author, type Principal } from '../modules/access/principal.ts';
import { onRevokedHere, type AccessWatch } from '../modules/access/revocations.ts';
import { sessionPrincipal, type SessionLookup } from '../modules/access/sessions.service.ts';
import { issueStreamTicket, redeemStreamTicket } from '../modules/access/stream-tickets.service.ts';
import { TokenCache, TOKEN_CACHE_TTL_MS } from '../modules/access/token-cache.ts';

export type { Author, Principal, SessionLookup };
export { authorOf, canSend };

export interface Access {
  /** Sign-in is required (HATCH_AUTH); when it is not, everyone is `local`. */
  readonly required: boolean;
  /** The stand-in operator when sign-in is off. */
  readonly local: Principal;
  /** The program a bearer token signs in, if it is a working token. */
  byToken(token: string): Promise<Principal | undefined>;
  /** The operator a session cookie signs in, extending the session while it is used. */
  bySession(cookie: string): Promise<SessionLookup | undefined>;
  /** A single-use, short-lived ticket that opens one event stream as `principal` (none without a revocable credential). */
  ticketFor(principal: Principal): Promise<{ ticket: string; expiresInSeconds: number } | undefined>;
  /** Who a stream ticket signs in, using it up. */
  byTicket(ticket: string): Promise<Principal | undefined>;
  /** Calls `onEnd` once if `principal`'s credential stops working; returns the way to stop watching. */
  watch(principal: Principal, onEnd: () => void): () => void;
  /** The key streams are counted under: one per session or token. */
  owner(principal: Principal): string;
  /** Stops listening for revocations (the server is closing). */
  close(): void;
}

export function createAccess(
  db: Database,
  watch: Pick<AccessWatch, 'watch' | 'onRevocation'>,
  settings: { auth: boolean; sessionDays: number; operatorName: string; tokenCacheMs?: number },
): Access {
  // API tokens are remembered (a program's every request would otherwise cost a round trip) and
  // forgotten on revocation: here at once, elsewhere by NOTIFY, and after a lost NOTIFY within TTL.
  const tokens = new TokenCache(db, settings.tokenCacheMs ?? TOKEN_CACHE_TTL_MS);
  watch.onRevocation((key) => tokens.forget(key));
  const stopForgetting = onRevokedHere((key) => tokens.forget(key));
  return {
    required: settings.auth,
    local: localOperator(settings.operatorName),
    byToken: (token) => tokens.principal(token),
    bySession: (cookie) => sessionPrincipal(db, cookie, settings.sessionDays),
    ticketFor: (principal) => issueStreamTicket(db, principal),
    byTicket: (ticket) => redeemStreamTicket(db, ticket),
    watch: (principal, onEnd) => watch.watch(principal, onEnd),
    owner: (principal) => revocationKey(principal) ?? `${principal.kind}:${principal.id}`,
    close: stopForgetting,
  };
}
