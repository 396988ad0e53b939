import type { ExecutionResult } from 'graphql';
import type { Principal } from '../access.ts';
import type { SubscriptionHub } from '../streaming/hub.ts';
import type { Prepared } from '../streaming/operation.ts';

/**
 * A hub subscription as graphql-ws runs it. Its results do not go through graphql-ws: `send`
 * writes each one's `next` message straight to the socket, around the JSON the hub made once for
 * every subscriber. Through graphql-ws each result would be parsed, then validated and serialized
 * again for each socket behind a chain of promises: three times the server's CPU of plain `ws` per
 * event, measured at 19,700 sockets. What graphql-ws iterates yields nothing and ends when the
 * subscription does, so its `complete` still follows the last `next`; its `return()` (a client's
 * `complete`, a closed socket) leaves the hub at once. Hand-written rather than an async generator
 * because a generator would take that `return()` only after the next event.
 *
 * `send` returns false when the message could not be written, or when the reader has fallen too
 * far behind and the connection is being closed: the subscription then leaves the hub.
 */
export function hubResults(
  hub: SubscriptionHub,
  prepared: Extract<Prepared, { kind: 'subscription' }>,
  principal: Principal,
  send: (json: string) => boolean,
): AsyncIterableIterator<ExecutionResult, undefined> {
  let done = false;
  let waiting: ((r: IteratorResult<ExecutionResult, undefined>) => void) | undefined;
  const finish = () => {
    done = true;
    waiting?.({ done: true, value: undefined });
    waiting = undefined;
  };
  const leave = hub.join(prepared, {
    principal,
    next(json) {
      if (done) return;
      if (!send(json)) {
        leave();
        finish();
      }
    },
    complete: finish,
  });

  const iterator: AsyncIterableIterator<ExecutionResult, undefined> = {
    next() {
      if (done) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      leave();
      finish();
      return Promise.resolve({ done: true, value: undefined });
    },
    throw(err) {
      leave();
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
