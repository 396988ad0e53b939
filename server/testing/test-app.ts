import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppDeps } from '../app.ts';
import type { Database } from '../db/database.ts';
import { silentLog } from './databases.ts';

export interface TestApp {
  app: App;
  db: Database;
  url: string;
  /** POSTs one GraphQL operation over HTTP and returns the parsed body (and status). */
  // Loosely typed on purpose: tests assert on the shape they expect.
  gql(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The real server on a real socket (127.0.0.1, a free port), on the given database. */
export async function startTestApp(db: Database, overrides: Partial<AppDeps> = {}, port = 0): Promise<TestApp> {
  const app = await createApp({
    db,
    log: silentLog,
    config: { smsFrom: '+15005550006', operatorName: 'Operator' },
    ...overrides,
    sms: { simulatorStepMs: 30, ...overrides.sms, outbox: { pollMs: 200, backoffMs: 20, maxBackoffMs: 200, ...overrides.sms?.outbox } },
  });
  await new Promise<void>((resolve) => app.server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    db,
    url,
    async gql(query, variables) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      app.server.closeAllConnections();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
      await app.close();
    },
  };
}

/** A port that was free a moment ago, for a server whose URL must be known before it starts. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `fn` until it returns something truthy. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
