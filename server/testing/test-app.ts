import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppDeps } from '../app.ts';
import type { Database } from '../db/database.ts';
import { createApiToken } from '../modules/access/api-tokens.service.ts';
import { createOperator } from '../modules/access/operators.service.ts';
import type { TokenScope } from '../modules/access/principal.ts';
import { testConfig } from './config.ts';
import { silentLog, testDatabases } from './databases.ts';

export interface TestApp {
  app: App;
  db: Database;
  url: string;
  /** Headers that sign a request in with the test's API token (scope `send`). */
  headers: Record<string, string>;
  /** POSTs one GraphQL operation over HTTP, signed in as the test's token, and returns the parsed body (and status). */
  // Loosely typed on purpose: tests assert on the shape they expect.
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** A new API token's secret. */
  token(name: string, scope: TokenScope): Promise<string>;
  /**
   * A new operator, and the cookie header of a session signed in as them. An admin unless `role`
   * says AGENT: most tests are about what any operator does, the role tests make agents.
   */
  operator(email?: string, password?: string, name?: string, role?: 'ADMIN' | 'AGENT'): Promise<{ cookie: string; email: string; password: string }>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery';

/** The real server on a real socket (127.0.0.1, a free port), on the given database. */
export async function startTestApp(db: Database, overrides: Partial<AppDeps> = {}, port = 0): Promise<TestApp> {
  const app = await createApp({
    db,
    log: silentLog,
    config: testConfig(),
    ...overrides,
    sms: { simulatorStepMs: 30, ...overrides.sms, outbox: { pollMs: 200, backoffMs: 20, maxBackoffMs: 200, ...overrides.sms?.outbox } },
  });
  await new Promise<void>((resolve) => app.server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const token = async (name: string, scope: TokenScope) => {
    const made = await createApiToken(db, { name, scope, createdById: null });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    return made.token;
  };
  const headers = { authorization: `Bearer ${await token(`tests ${randomUUID()}`, 'send')}` };
  let operators = 0;
  return {
    app,
    db,
    url,
    headers,
    token,
    async gql(query, variables, as = headers) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...as },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    async operator(email = `operator${++operators}@example.com`, password = TEST_PASSWORD, name?: string, role: 'ADMIN' | 'AGENT' = 'ADMIN') {
      const made = await createOperator(db, { email, password, name, role });
      if (!made.ok) throw new Error(JSON.stringify(made.errors));
      const res = await fetch(`${url}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, email, password };
    },
    async close() {
      // app.close() stops listening and ends WebSockets too (upgraded sockets are not HTTP
      // connections: closeAllConnections leaves them, and server.close() would wait for them).
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

/** One unlabelled figure from the server's /metrics, read with the test's token. */
export async function metricValue(t: Pick<TestApp, 'url' | 'headers'>, name: string): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`, { headers: t.headers })).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

/** The server on the last test database, with event streams that may buffer only 64 KB (slow readers). */
export async function startTightStreamsApp(): Promise<TestApp> {
  const [kind] = testDatabases().slice(-1);
  return startTestApp(await kind!.open(), { streamLimits: { maxBufferedBytes: 64 * 1024 } });
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
