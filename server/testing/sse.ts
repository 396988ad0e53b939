import { createClient, type Client } from 'graphql-sse';

export type SseMode = 'distinct' | 'single';

/** A real graphql-sse client against a running server, in either of the protocol's modes, signed in with `headers`. */
export function sseClient(server: { url: string; headers: Record<string, string> }, mode: SseMode): Client<boolean> {
  const { url } = server;
  // A copy: the client writes its stream token into the headers object it is given.
  const headers = () => ({ ...server.headers });
  return mode === 'single'
    ? createClient({ url: `${url}/graphql/stream`, singleConnection: true, retryAttempts: 0, headers })
    : createClient({ url: `${url}/graphql`, retryAttempts: 0, headers });
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
