import type { ExecutionResult } from 'graphql';
import type { Principal } from '../access.ts';
import type { SubscriptionHub } from '../streaming/hub.ts';
import type { Prepared } from '../streaming/operation.ts';

// The hub hands every subscriber of a shared execution the same JSON string, one after another:
// remembering the last one parses each event once per process rather than once per socket.
let last: { json: string; value: ExecutionResult } | undefined;
function parsed(json: string): ExecutionResult {
  if (last?.json !== json) last = { json, value: JSON.parse(json) as ExecutionResult };
  return last.value;
}

/**
 * A hub subscription as the async iterator graphql-ws consumes. Hand-written rather than an async
 * generator because `return()` must take effect while the iterator waits for the next event (a
 * client's `complete`, a closed socket); a generator would wait for that event first. Results
 * queue while the socket is busy; past `maxQueuedBytes` the reader counts as too slow and
 * `onOverflow` is called (the connection is closed; the client resumes by cursor).
 */
export function hubResults(
  hub: SubscriptionHub,
  prepared: Extract<Prepared, { kind: 'subscription' }>,
  principal: Principal,
  maxQueuedBytes: number,
  onOverflow: () => void,
): AsyncGenerator<ExecutionResult, undefined> {
  const queue: string[] = [];
  let queuedBytes = 0;
  let done = false;
  let waiting: ((r: IteratorResult<ExecutionResult, undefined>) => void) | undefined;

  const finish = () => {
    done = true;
    queue.length = 0;
    waiting?.({ done: true, value: undefined });
    waiting = undefined;
  };
  const leave = hub.join(prepared, {
    principal,
    next(json) {
      if (done) return;
      if (waiting) {
        waiting({ done: false, value: parsed(json) });
        waiting = undefined;
        return;
      }
      queue.push(json);
      queuedBytes += json.length;
      if (queuedBytes > maxQueuedBytes) {
        leave();
        finish();
        onOverflow();
      }
    },
    complete() {
      // Deliver what is queued first; `next` ends the iteration once the queue is empty.
      done = true;
      if (queue.length === 0) finish();
    },
  });

  const iterator: AsyncGenerator<ExecutionResult, undefined> = {
    next() {
      const json = queue.shift();
      if (json !== undefined) {
        queuedBytes -= json.length;
        return Promise.resolve({ done: false, value: parsed(json) });
      }
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
