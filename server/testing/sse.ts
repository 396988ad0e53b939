import { createClient, type Client } from 'graphql-sse';
import { Agent, fetch as undiciFetch } from 'undici';

export type SseMode = 'distinct' | 'single';

/** Connection pools by the local address their connections leave from. */
const fromAddress = new Map<string, Agent>();

/**
 * A real graphql-sse client against a running server, in either of the protocol's modes, signed in
 * with `headers`; its connections leave from `localAddress` when one is given (127.0.0.2, …), so
 * that many clients together are not limited by one address's ports.
 */
export function sseClient(server: { url: string; headers: Record<string, string>; localAddress?: string }, mode: SseMode): Client<boolean> {
  const { url, localAddress } = server;
  // A copy: the client writes its stream token into the headers object it is given.
  const headers = () => ({ ...server.headers });
  let fetchFn: typeof fetch | undefined;
  if (localAddress) {
    let agent = fromAddress.get(localAddress);
    if (!agent) fromAddress.set(localAddress, (agent = new Agent({ localAddress, keepAliveTimeout: 60_000 })));
    const through = agent;
    fetchFn = ((input: string, init: object) => undiciFetch(input, { ...init, dispatcher: through })) as unknown as typeof fetch;
  }
  return mode === 'single'
    ? createClient({ url: `${url}/graphql/stream`, singleConnection: true, retryAttempts: 0, headers, fetchFn })
    : createClient({ url: `${url}/graphql`, retryAttempts: 0, headers, fetchFn });
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
