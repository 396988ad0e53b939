import { createClient, type Client } from 'graphql-sse';

export type SseMode = 'distinct' | 'single';

/** A real graphql-sse client against a running server, in either of the protocol's modes. */
export function sseClient(baseUrl: string, mode: SseMode): Client<boolean> {
  return mode === 'single'
    ? createClient({ url: `${baseUrl}/graphql/stream`, singleConnection: true, retryAttempts: 0 })
    : createClient({ url: `${baseUrl}/graphql`, retryAttempts: 0 });
}

export interface Subscription<T> {
  /** Every `data` payload received, with the time it arrived. */
  events: { at: number; data: T }[];
  errors: unknown[];
  /** Resolves when `predicate` holds for the events received so far (checked on each arrival). */
  until(predicate: (events: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
  dispose(): void;
}

export function subscribe<T = any>(client: Client<boolean>, query: string, variables?: Record<string, unknown>): Subscription<T> {
  const events: { at: number; data: T }[] = [];
  const errors: unknown[] = [];
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors) errors.push(...r.errors);
        if (r.data) events.push({ at: performance.now(), data: r.data as T });
        wake();
      },
      error: (e) => {
        errors.push(e);
        wake();
      },
      complete: wake,
    },
  );
  return {
    events,
    errors,
    dispose,
    until(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const data = events.map((e) => e.data);
          if (predicate(data)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(data);
          } else if (errors.length) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`subscription failed: ${JSON.stringify(errors)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms with ${events.length} events`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
