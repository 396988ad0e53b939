import type { Sql } from '../../db/database.ts';
import { touchApiToken, useApiToken } from '../../db/tables/api-tokens.ts';
import type { Principal } from './principal.ts';
import { secretHash } from './secrets.ts';
import { TOKEN_PREFIX } from './api-tokens.service.ts';

/** The longest a revoked token can keep working when its revocation's notification is lost. */
export const TOKEN_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
// Recording every use would be a write per request; a minute's precision is what a person needs.
const TOUCH_EVERY_MS = 60_000;

interface Entry {
  principal: Extract<Principal, { kind: 'token' }>;
  checkedAt: number;
  touchedAt: number;
}

/**
 * Who each working API token signs in, remembered for a while, so that a program's requests do not
 * each cost a database round trip. A revocation empties its entry at once, on every replica (the
 * access watch hears its NOTIFY); a lost notification (the LISTEN connection down) empties the
 * whole cache when the connection is back, and an entry is checked again after TOKEN_CACHE_TTL_MS
 * anyway, which bounds how long a revocation whose notification never came can go unnoticed.
 * Tokens that do not work are not remembered: each such request asks the database.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Pick<Sql, 'query'>,
    private readonly ttlMs = TOKEN_CACHE_TTL_MS,
  ) {}

  async principal(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const hash = secretHash(token);
    const now = Date.now();
    const hit = this.entries.get(hash);
    if (hit && now - hit.checkedAt < this.ttlMs) {
      if (now - hit.touchedAt >= TOUCH_EVERY_MS) {
        hit.touchedAt = now;
        void touchApiToken(this.db, hit.principal.id).catch(() => {});
      }
      return hit.principal;
    }
    this.entries.delete(hash);
    const found = await useApiToken(this.db, hash);
    if (!found) return undefined;
    const principal = { kind: 'token' as const, ...found };
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { principal, checkedAt: now, touchedAt: now });
    return principal;
  }

  /** A revocation heard: `token:<id>` forgets that token; undefined (revocations may be lost) forgets all. */
  forget(key: string | undefined): void {
    if (key === undefined) return this.entries.clear();
    if (!key.startsWith('token:')) return;
    const id = key.slice('token:'.length);
    for (const [hash, entry] of this.entries) if (entry.principal.id === id) this.entries.delete(hash);
  }
}
