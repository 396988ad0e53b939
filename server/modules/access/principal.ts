/** What an API token may do: `read` is queries and subscriptions; `send` is those and mutations. */
export type TokenScope = 'read' | 'send';

/** Who is making a request, once signed in. */
export type Principal =
  | {
      kind: 'operator';
      id: string;
      name: string;
      email: string;
      /** The session's id (hash of its cookie); absent when sign-in is turned off. */
      sessionId?: string;
      /** True when HATCH_AUTH=off: a stand-in for whoever uses this machine. */
      local?: boolean;
      /** An admin also manages the team, API tokens and settings. */
      role: 'ADMIN' | 'AGENT';
    }
  | { kind: 'token'; id: string; name: string; scope: TokenScope };

/** The stand-in operator when HATCH_AUTH=off. */
export function localOperator(name: string): Principal {
  return { kind: 'operator', id: '00000000-0000-0000-0000-000000000000', name, email: '', local: true, role: 'ADMIN' };
}

export const canSend = (p: Principal): boolean => p.kind === 'operator' || p.scope === 'send';

/** Whether they may manage operators, API tokens and settings: an admin (or whoever uses a server with sign-in off). */
export const isAdmin = (p: Principal): boolean => p.kind === 'operator' && (p.local === true || p.role === 'ADMIN');

/**
 * The key a revocation names: a session or a token. Everything a principal has open (subscriptions)
 * ends when its key is revoked.
 */
export function revocationKey(p: Principal): string | undefined {
  if (p.kind === 'token') return `token:${p.id}`;
  return p.sessionId ? `session:${p.sessionId}` : undefined;
}

/** A message's author, as the `sent_by_*` columns record it. */
export interface Author {
  kind: 'OPERATOR' | 'TOKEN' | 'SMS_CONTACT' | 'SYSTEM';
  id: string | null;
  name: string | null;
}

export function authorOf(p: Principal): Author {
  if (p.kind === 'token') return { kind: 'TOKEN', id: p.id, name: p.name };
  return { kind: 'OPERATOR', id: p.local ? null : p.id, name: p.name };
}
