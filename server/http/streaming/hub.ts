import type { ExecutionResult } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Access, Principal } from '../access.ts';
import { masked, type Prepared } from './operation.ts';

/** Where one subscription's results go: a transport's framing around the JSON of each result. */
export interface Subscriber {
  principal: Principal;
  /** One result, as JSON (the same string for every subscriber of a shared execution). */
  next(json: string): void;
  /** No more results. */
  complete(): void;
}

interface Group {
  /** The key its subscribers share; undefined for one that resumes (its replay is its own). */
  key: string | undefined;
  /** Each subscriber, with the way it leaves. */
  members: Map<Subscriber, () => void>;
  iterator?: AsyncIterator<ExecutionResult>;
  done: boolean;
}

export const REVOKED = JSON.stringify({
  errors: [createGraphQLError('The credentials of this subscription were revoked or have expired.', { extensions: { code: 'UNAUTHENTICATED' } })],
});

/**
 * Runs subscriptions for every transport. Subscribers whose operation, variables and scope are
 * the same share one execution: each event is resolved once and serialized once, and the same
 * string is written to each of them. Each subscriber still ends on its own: when it leaves, or
 * when its credentials are revoked (with an UNAUTHENTICATED result).
 */
export class SubscriptionHub {
  private readonly groups = new Map<string, Group>();
  private active = 0;

  /** Told how many subscribers each result was written to (metrics). */
  onDelivered: (count: number) => void = () => {};

  constructor(
    private readonly access: Pick<Access, 'watch'>,
    private readonly log: Logger,
  ) {}

  /** Subscriptions open now, and the executions serving them. */
  get stats(): { subscriptions: number; executions: number } {
    return { subscriptions: this.active, executions: this.groups.size };
  }

  /** Starts (or joins) the subscription; returns the way to leave it. */
  join(prepared: Extract<Prepared, { kind: 'subscription' }>, subscriber: Subscriber): () => void {
    this.active++;
    // Only the group holds its key: each subscriber's own copy of it (the operation's text and
    // variables) is left to be collected, rather than kept for as long as the subscriber stays.
    const { group: g, fresh } = this.groupFor(prepared.key);
    let left = false;
    const unwatch = this.access.watch(subscriber.principal, () => {
      subscriber.next(REVOKED);
      leave();
      subscriber.complete();
    });
    const leave = () => {
      if (left) return;
      left = true;
      this.active--;
      unwatch();
      g.members.delete(subscriber);
      if (g.members.size === 0) this.end(g);
    };
    g.members.set(subscriber, leave);
    if (fresh) void this.run(g, prepared);
    return leave;
  }

  private groupFor(key: string | undefined): { group: Group; fresh: boolean } {
    const existing = key === undefined ? undefined : this.groups.get(key);
    if (existing) return { group: existing, fresh: false };
    const group: Group = { key, members: new Map(), done: false };
    if (key !== undefined) this.groups.set(key, group);
    return { group, fresh: true };
  }

  private async run(g: Group, prepared: Extract<Prepared, { kind: 'subscription' }>): Promise<void> {
    const started = await prepared.start();
    if (!(Symbol.asyncIterator in started)) {
      this.deliver(g, JSON.stringify(started));
      return this.finish(g);
    }
    const iterator = started[Symbol.asyncIterator]();
    g.iterator = iterator;
    // Everyone may have left while the subscription was starting: stop what just started.
    if (g.done || g.members.size === 0) {
      g.done = true;
      await iterator.return?.();
      return;
    }
    try {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) break;
        this.deliver(g, JSON.stringify(masked(value, this.log)));
      }
    } catch (err) {
      this.deliver(g, JSON.stringify(masked({ errors: [err as never] }, this.log)));
    }
    this.finish(g);
  }

  private deliver(g: Group, json: string): void {
    for (const member of g.members.keys()) member.next(json);
    this.onDelivered(g.members.size);
  }

  /** The execution ended by itself: every subscriber is complete. */
  private finish(g: Group): void {
    if (g.done) return;
    g.done = true;
    this.forget(g);
    for (const [member, leave] of [...g.members]) {
      leave();
      member.complete();
    }
  }

  /** The last subscriber left: stop the execution (unless it already ended by itself). */
  private end(g: Group): void {
    this.forget(g);
    if (g.done) return;
    g.done = true;
    void g.iterator?.return?.();
  }

  private forget(g: Group): void {
    if (g.key !== undefined && this.groups.get(g.key) === g) this.groups.delete(g.key);
  }
}
