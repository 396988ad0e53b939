import type { ExecutionResult } from 'graphql';
import type { Principal } from '../access.ts';
import type { Subscriber, SubscriptionHub } from '../streaming/hub.ts';
import type { Prepared } from '../streaming/operation.ts';

/**
 * A hub subscription as graphql-ws runs it. Its results do not go through graphql-ws: `sink`
 * writes each one's `next` message straight to the socket, around the JSON the hub made once for
 * every subscriber. Through graphql-ws each result would be parsed, then validated and serialized
 * again for each socket behind a chain of promises: three times the server's CPU of plain `ws` per
 * event, measured at 19,700 sockets. What graphql-ws iterates yields nothing and ends when the
 * subscription does, so its `complete` still follows the last `next`; its `return()` (a client's
 * `complete`, a closed socket) leaves the hub at once. Hand-written rather than an async generator
 * because a generator would take that `return()` only after the next event.
 *
 * `sink.write` returns false when the message could not be written, or when the reader has fallen
 * too far behind and the connection is being closed: the subscription then leaves the hub.
 */
export function hubResults(hub: SubscriptionHub, prepared: Extract<Prepared, { kind: 'subscription' }>, principal: Principal, sink: Sink): AsyncIterableIterator<ExecutionResult, undefined> {
  return new HubResults(hub, prepared, principal, sink);
}

/** Where a subscription's results are written: false when one could not be, and it should stop. */
export interface Sink {
  write(json: string): boolean;
}

// Classes rather than closures: with tens of thousands of subscriptions, an object with its methods
// on the prototype is the smallest way to hold this state (about 0.4 KB each less than closures).
class HubResults implements AsyncIterableIterator<ExecutionResult, undefined> {
  private done = false;
  private waiting: ((r: IteratorResult<ExecutionResult, undefined>) => void) | undefined = undefined;
  private readonly leave: () => void;

  constructor(hub: SubscriptionHub, prepared: Extract<Prepared, { kind: 'subscription' }>, principal: Principal, private readonly sink: Sink) {
    this.leave = hub.join(prepared, new Member(principal, this));
  }

  /** From the hub: one result's JSON. */
  deliver(json: string): void {
    if (this.done) return;
    if (!this.sink.write(json)) this.stop();
  }

  /** From the hub, or from graphql-ws: no more results. */
  finish(): void {
    this.done = true;
    this.waiting?.({ done: true, value: undefined });
    this.waiting = undefined;
  }

  private stop(): void {
    this.leave();
    this.finish();
  }

  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (this.done) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.stop();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(err: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.stop();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The subscription as the hub sees it. */
class Member implements Subscriber {
  constructor(
    readonly principal: Principal,
    private readonly results: HubResults,
  ) {}

  next(json: string): void {
    this.results.deliver(json);
  }

  complete(): void {
    this.results.finish();
  }
}
