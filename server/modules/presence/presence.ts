import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../../db/database.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import type { Principal } from '../access/principal.ts';

/**
 * Who is looking at or typing in a conversation: ephemeral by design. Nothing is stored and nothing
 * enters the change feed; a report is one NOTIFY on `hatch_presence`, heard by every process (this
 * one included, so there is one path) and kept in memory until it expires or its author leaves.
 * A process that starts late learns the current viewers from their next heartbeat.
 */
export const PRESENCE_CHANNEL = 'hatch_presence';

export type PresenceState = 'VIEWING' | 'TYPING';
export type PresenceReport = PresenceState | 'LEFT';

export interface PresenceTimes {
  /** A viewer is gone this long after their last report (a closed tab sends nothing). */
  viewingMs: number;
  /** "Typing…" falls back to viewing this long after the last keystroke report. */
  typingMs: number;
  /** How often expired entries are swept. */
  sweepMs: number;
}

/** The page reports viewing every 10 s, so a viewer who closed the tab is gone within 25 s. */
export const PRESENCE_TIMES: PresenceTimes = { viewingMs: 25_000, typingMs: 6_000, sweepMs: 1_000 };

/** Reports one operator may make a minute, across their windows (the page makes about 26 at most). */
export const PRESENCE_REPORTS_PER_MINUTE = 60;

export interface Presence {
  operatorId: string;
  name: string;
  state: PresenceState;
  /** When this operator's presence in the conversation began (viewing), or the typing began. */
  since: Date;
}

interface Entry extends Presence {
  viewingUntil: number;
  typingUntil: number;
}

interface Notice {
  c: string;
  o: string;
  n: string;
  s: PresenceReport;
}

/** A conversation's presence, as subscribers receive it: everyone there now. */
export interface ConversationPresence {
  conversationId: string;
  viewers: Presence[];
}

// Entries kept per process at most: a bound on memory whatever the notifications say.
const MAX_ENTRIES = 20_000;

export class PresenceHub {
  private readonly rooms = new Map<string, Map<string, Entry>>();
  private readonly watchers = new Map<string, Set<(p: ConversationPresence) => void>>();
  private readonly limiter = new RateLimiterMemory({ points: PRESENCE_REPORTS_PER_MINUTE, duration: 60 });
  private entries = 0;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly times: PresenceTimes = PRESENCE_TIMES,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(PRESENCE_CHANNEL, (payload) => this.heard(payload));
    this.timer = setInterval(() => this.sweep(), this.times.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unlisten?.();
  }

  /**
   * Says that `principal` is viewing, typing in, or has left a conversation. Only operators have
   * presence (a program is not "viewing"); the caller checks that and that the conversation exists.
   */
  async report(principal: Extract<Principal, { kind: 'operator' }>, conversationId: string, state: PresenceReport): Promise<UserErrorShape | undefined> {
    try {
      await this.limiter.consume(principal.id);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const wait = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      return { ...userError(null, 'RATE_LIMITED', `Too many presence reports: at most ${PRESENCE_REPORTS_PER_MINUTE} a minute. Try again in ${wait} s.`), retryAfterSeconds: wait };
    }
    const notice: Notice = { c: conversationId, o: principal.id, n: principal.name, s: state };
    await this.db.query('SELECT pg_notify($1, $2)', [PRESENCE_CHANNEL, JSON.stringify(notice)]);
    return undefined;
  }

  /** Everyone in a conversation now, oldest arrival first. */
  current(conversationId: string): ConversationPresence {
    const room = this.rooms.get(conversationId);
    const viewers = room ? [...room.values()].map(({ operatorId, name, state, since }) => ({ operatorId, name, state, since })) : [];
    return { conversationId, viewers };
  }

  /** The conversation's presence now, then again after every change, until the caller returns. */
  watch(conversationId: string): AsyncIterableIterator<ConversationPresence> {
    return new Repeater<ConversationPresence>(async (push, stop) => {
      const set = this.watchers.get(conversationId) ?? new Set();
      this.watchers.set(conversationId, set);
      const listener = (p: ConversationPresence) => void push(p);
      set.add(listener);
      await push(this.current(conversationId));
      await stop;
      set.delete(listener);
      if (set.size === 0) this.watchers.delete(conversationId);
      // Only the newest presence matters: a subscriber that falls behind skips what it missed.
    }, new SlidingBuffer(1));
  }

  /** Subscriptions watching presence in this process. */
  watching(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  private heard(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
      if (typeof notice.c !== 'string' || typeof notice.o !== 'string' || typeof notice.n !== 'string' || !['VIEWING', 'TYPING', 'LEFT'].includes(notice.s)) throw new Error('shape');
    } catch {
      this.log.error({ payload }, 'unreadable presence notification');
      return;
    }
    if (this.apply(notice, Date.now())) this.changed(notice.c);
  }

  /** Applies a report; true when what subscribers see changed (a heartbeat alone changes nothing). */
  private apply({ c, o, n, s }: Notice, now: number): boolean {
    const room = this.rooms.get(c);
    const entry = room?.get(o);
    if (s === 'LEFT') {
      if (!room || !entry) return false;
      room.delete(o);
      this.entries--;
      if (room.size === 0) this.rooms.delete(c);
      return true;
    }
    if (!entry) {
      if (this.entries >= MAX_ENTRIES) return false;
      const fresh: Entry = { operatorId: o, name: n, state: s, since: new Date(now), viewingUntil: now + this.times.viewingMs, typingUntil: s === 'TYPING' ? now + this.times.typingMs : 0 };
      this.rooms.set(c, (room ?? new Map()).set(o, fresh));
      this.entries++;
      return true;
    }
    entry.viewingUntil = now + this.times.viewingMs;
    if (s === 'TYPING') entry.typingUntil = now + this.times.typingMs;
    // Viewing does not end typing: the page's heartbeat may come between two keystroke reports.
    const state: PresenceState = entry.typingUntil > now ? 'TYPING' : 'VIEWING';
    const changed = state !== entry.state || n !== entry.name;
    if (state !== entry.state) entry.since = new Date(now);
    entry.state = state;
    entry.name = n;
    return changed;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [c, room] of this.rooms) {
      let changed = false;
      for (const [o, entry] of room) {
        if (entry.viewingUntil <= now) {
          room.delete(o);
          this.entries--;
          changed = true;
        } else if (entry.state === 'TYPING' && entry.typingUntil <= now) {
          entry.state = 'VIEWING';
          entry.since = new Date(now);
          changed = true;
        }
      }
      if (room.size === 0) this.rooms.delete(c);
      if (changed) this.changed(c);
    }
  }

  private changed(conversationId: string): void {
    const set = this.watchers.get(conversationId);
    if (!set) return;
    const now = this.current(conversationId);
    for (const listener of set) listener(now);
  }
}
