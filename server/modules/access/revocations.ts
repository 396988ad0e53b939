import type { Logger } from 'pino';
import type { Database, Sql } from '../../db/database.ts';
import { workingTokenIds } from '../../db/tables/api-tokens.ts';
import { liveSessionIds } from '../../db/tables/sessions.ts';
import type { Principal } from './principal.ts';
import { revocationKey } from './principal.ts';

/** NOTIFY channel: {"key": "token:<id>" | "session:<id>"} when a credential stops working. */
export const REVOCATIONS_CHANNEL = 'access_revocations';

/** What, in this process, remembers credentials and must forget one at once when it is revoked here. */
const forgetters = new Set<(key: string) => void>();

/** Calls `forget` with the key of every revocation made in this process, before it commits. */
export function onRevokedHere(forget: (key: string) => void): () => void {
  forgetters.add(forget);
  return () => void forgetters.delete(forget);
}

/**
 * Tells every server process, in the revoking transaction, that a credential no longer works. This
 * process's caches forget it at once (had the transaction rolled back, forgetting costs nothing but
 * a lookup); the others when the NOTIFY reaches them, just after the commit.
 */
export async function notifyRevoked(tx: Pick<Sql, 'query'>, key: string): Promise<void> {
  for (const forget of forgetters) forget(key);
  await tx.query('SELECT pg_notify($1, $2)', [REVOCATIONS_CHANNEL, JSON.stringify({ key })]);
}

const RECHECK_MS = 30_000;

/**
 * What each process has open on behalf of each credential (subscriptions), so that a revoked token,
 * a signed-out or expired session ends them at once. Revocations arrive by NOTIFY from whichever
 * process or command revoked; since a notification can be lost while the LISTEN connection is down,
 * every open credential is also checked against the database after a reconnect and periodically.
 */
export class AccessWatch {
  private readonly open = new Map<string, { key: string; ends: Set<() => void> }>();
  /** Told of every revocation heard (with its key), and of a reconnect (without: anything may have been missed). */
  private readonly heard = new Set<(key: string | undefined) => void>();
  private unlisten: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(
      REVOCATIONS_CHANNEL,
      (payload) => {
        try {
          const key = String(JSON.parse(payload).key);
          for (const listener of this.heard) listener(key);
          this.revoke(key);
        } catch {
          this.log.error({ payload }, 'unreadable revocation notification');
        }
      },
      () => {
        for (const listener of this.heard) listener(undefined);
        void this.recheck();
      },
    );
    this.timer = setInterval(() => void this.recheck(), RECHECK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unlisten?.();
  }

  /**
   * Calls `listener` with the key of every revocation heard, and with undefined after the LISTEN
   * connection was lost (revocations sent meanwhile are gone): for what remembers credentials.
   */
  onRevocation(listener: (key: string | undefined) => void): void {
    this.heard.add(listener);
  }

  /** Calls `onRevoked` once if `principal`'s credential stops working; returns the way to stop watching. */
  watch(principal: Principal, onRevoked: () => void): () => void {
    const key = revocationKey(principal);
    if (!key) return () => {};
    let entry = this.open.get(key);
    if (!entry) this.open.set(key, (entry = { key, ends: new Set() }));
    // The closure holds the entry, whose key is the one copy: this call's own copy of the key goes.
    const held = entry;
    held.ends.add(onRevoked);
    return () => {
      held.ends.delete(onRevoked);
      if (held.ends.size === 0 && this.open.get(held.key) === held) this.open.delete(held.key);
    };
  }

  private revoke(key: string): void {
    const entry = this.open.get(key);
    if (!entry) return;
    this.open.delete(key);
    this.log.info({ credential: key.split(':')[0], count: entry.ends.size }, 'credential revoked; ending what it had open');
    for (const end of entry.ends) end();
  }

  /** Ends whatever belongs to a credential that no longer works (missed notification, expiry). */
  async recheck(): Promise<void> {
    const keys = [...this.open.keys()];
    if (keys.length === 0) return;
    const ids = (prefix: string) => keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    try {
      const sessions = ids('session:');
      const tokens = ids('token:');
      const liveSessions = sessions.length ? await liveSessionIds(this.db, sessions) : [];
      const liveTokens = tokens.length ? await workingTokenIds(this.db, tokens) : [];
      const live = new Set([...liveSessions.map((id) => `session:${id}`), ...liveTokens.map((id) => `token:${id}`)]);
      for (const key of keys) if (!live.has(key)) this.revoke(key);
    } catch (err) {
      this.log.warn({ err }, 'checking open credentials failed; will try again');
    }
  }
}
