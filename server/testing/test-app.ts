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
export async function startTestApp(db: Database, overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const app = await createApp({
    db,
    log: silentLog,
    config: { smsFrom: '+15005550006', operatorName: 'Operator' },
    simulatorStepMs: 30,
    outbox: { pollMs: 200, backoffMs: 20, maxBackoffMs: 200 },
    ...overrides,
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
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
