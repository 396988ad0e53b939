import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { migrate } from '../db/migrator.ts';
import { createApiToken } from '../modules/access/api-tokens.service.ts';
import { silentLog, testDatabases, type DurableDatabase } from '../testing/databases.ts';
import { eventually, freePort, metricValue, startTightStreamsApp } from '../testing/test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUFFER_KB = 64;

/** Resident memory of a process, from the kernel. */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

// The hostile probes of the reliability review, against a real server process, measuring its memory.
describe('event streams cannot be made to hold memory', () => {
  let store: DurableDatabase;
  let server: ChildProcess;
  let url: string;
  let auth: Record<string, string>;
  beforeAll(async () => {
    store = await testDatabases()[0]!.durable();
    const db = await createEmbeddedDatabase(store.env.HATCH_DATA_DIR);
    await migrate(db, silentLog);
    const made = await createApiToken(db, { name: 'probe', scope: 'send', createdById: null });
    await db.close();
    auth = { authorization: `Bearer ${made.ok ? made.token : ''}` };
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...store.env, DATABASE_URL: '', PORT: String(port), LOG_LEVEL: 'silent', SSE_MAX_BUFFER_KB: String(BUFFER_KB), SMS_RATE_LIMIT: '0' },
      stdio: 'ignore',
    });
    await eventually(() => fetch(`${url}/ready`).then((r) => r.ok, () => false), 30_000, 'the server to start');
  }, 60_000);
  afterAll(async () => {
    server?.kill('SIGTERM');
    if (server) await new Promise((r) => server.once('exit', r));
    await store?.drop();
  });

  const gql = async (query: string, variables?: unknown) =>
    (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query, variables }) })).json();
  const burst = async (n: number) => {
    const body = 'x'.repeat(1500);
    for (let i = 0; i < n; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => gql('mutation($b: String!) { sendMessage(input: { to: "Flood", body: $b }) { errors { code } } }', { b: `${i + j} ${body}` })));
    }
  };
  const subscriptions = async () =>
    Number(/^hatch_subscriptions_active (\d+)$/m.exec(await (await fetch(`${url}/metrics`, { headers: auth })).text())?.[1] ?? NaN);

  it('refuses 60 MB bodies to /graphql/stream at once, with or without Content-Length, and keeps none of them', async () => {
    // The first requests of a new server load code and fill caches; memory is measured after them,
    // so that what is left is what the refused bodies cost.
    for (let i = 0; i < 3; i++) await (await fetch(`${url}/graphql/stream`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{}' })).text();
    await gql('{ __typename }');
    const before = rssMb(server.pid!);
    const stream = (body: BodyInit, more: RequestInit = {}) =>
      fetch(`${url}/graphql/stream`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body, ...more } as RequestInit);
    const chunked = () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if ((sent += 1) > 60) return controller.close();
          controller.enqueue(new Uint8Array(1024 * 1024).fill(97));
        },
      });
      return stream(body, { duplex: 'half' } as RequestInit);
    };
    const big = Buffer.alloc(60 * 1024 * 1024, 'a');
    const t0 = performance.now();
    // Three of each at once, 360 MB: a server that kept them grows by about 300 MB. What it reads
    // and drops is garbage until the next collection, which V8 starts by itself once about 64 MB
    // of such buffers has piled up (45-57 MB of growth measured on an idle machine): hence a bound
    // between the two, at half of what keeping them costs.
    const answers = await Promise.all([big, big, big].flatMap((b) => [stream(b), chunked()]));
    expect(performance.now() - t0).toBeLessThan(10_000);
    for (const a of answers) {
      expect(a.status).toBe(413);
      expect((await a.json()).errors[0].extensions.code).toBe('REQUEST_TOO_LARGE');
    }
    expect(rssMb(server.pid!) - before).toBeLessThan(150);
  });

  it('reads a body sent in chunks without Content-Length, and one that stops half-way is not an error of ours', async () => {
    const parts = ['{"query":', '"{ __typename }"', '}'].map((p) => new TextEncoder().encode(p));
    const chunked = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = parts.shift();
          if (!next) return controller.close();
          await new Promise((r) => setTimeout(r, 20));
          controller.enqueue(next);
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(200);
    expect((await chunked.json()).data).toEqual({ __typename: 'Query' });
    // /graphql itself: the router's cap is the only one (Yoga's is off), with or without Content-Length.
    const big = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(2 * 1024 * 1024)}` });
    const declared = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: big });
    expect(declared.status).toBe(413);
    expect((await declared.json()).errors[0].extensions.code).toBe('REQUEST_TOO_LARGE');
    const bytes = new TextEncoder().encode(big);
    const streamed = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).errors[0].extensions.code).toBe('REQUEST_TOO_LARGE');
    // A client that declares more than it sends and hangs up: the server stays up and answers the next one.
    const { connect } = await import('node:net');
    const { port } = new URL(url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: ${auth.authorization}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"query":`);
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
    });
    const after = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{"query":"{ __typename }"}' });
    expect(after.status).toBe(200);
  });

  it('answers broken operations on /graphql/stream as GraphQL errors, never a 500 or a stack trace', async () => {
    const put = await fetch(`${url}/graphql/stream`, { method: 'PUT', headers: auth });
    const token = await put.text();
    const stream = await fetch(`${url}/graphql/stream`, { headers: { ...auth, accept: 'text/event-stream', 'x-graphql-event-stream-token': token } });
    const reader = stream.body!.getReader();
    const post = (body: string) =>
      fetch(`${url}/graphql/stream`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'x-graphql-event-stream-token': token }, body });
    const bad = [
      JSON.stringify({ query: 'subscription { messageUpdated {', extensions: { operationId: 'syntax' } }),
      JSON.stringify({ query: `{ ${'smsSegments(body: "x") { units } '.repeat(300)} }`, extensions: { operationId: 'tokens' } }),
      JSON.stringify({ query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: smsSegments(body: "x") { units }`).join(' ')} }`, extensions: { operationId: 'aliases' } }),
    ];
    for (const body of bad) {
      const res = await post(body);
      expect(res.status, await res.text()).toBe(202);
    }
    for (const body of ['{not json', '[]', JSON.stringify({ query: 42, extensions: { operationId: 'x' } }), JSON.stringify({ query: '{ __typename }' })]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(await res.text()).not.toMatch(/\/work\/|at .*\(/);
    }
    let text = '';
    while (!['syntax', 'tokens', 'aliases'].every((id) => text.includes(`"id":"${id}","payload":{"errors"`))) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    expect(text).not.toMatch(/\/work\/|INTERNAL_SERVER_ERROR/);
    await reader.cancel();
  });

  it('caps the operations one stream may run', async () => {
    const token = await (await fetch(`${url}/graphql/stream`, { method: 'PUT', headers: auth })).text();
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const res = await fetch(`${url}/graphql/stream`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'x-graphql-event-stream-token': token },
        body: JSON.stringify({ query: 'subscription { messageUpdated { cursor } }', extensions: { operationId: `op${i}` } }),
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(100);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
  });

  it('forgets a reserved stream that is never opened, with what it queued', async () => {
    const token = await (await fetch(`${url}/graphql/stream`, { method: 'PUT', headers: auth })).text();
    const started = await fetch(`${url}/graphql/stream`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'x-graphql-event-stream-token': token },
      body: JSON.stringify({ query: 'subscription { messageUpdated { cursor message { body } } }', extensions: { operationId: 'never read' } }),
    });
    expect(started.status).toBe(202);
    const before = rssMb(server.pid!);
    await burst(100); // about 150 KB of events: past what the reservation may queue
    const late = await fetch(`${url}/graphql/stream`, { headers: { ...auth, accept: 'text/event-stream', 'x-graphql-event-stream-token': token } });
    expect(late.status).toBe(404);
    expect(rssMb(server.pid!) - before).toBeLessThan(40);
  });

  it('stays flat while 20 streams that are never read receive 900 events', async () => {
    const open = await subscriptions();
    const sockets = Array.from({ length: 20 }, () => unreadSubscription(url, auth.authorization!));
    await eventually(async () => (await subscriptions()) >= open + 20, 10_000, 'the twenty subscriptions');
    const before = rssMb(server.pid!);
    // The first 300 fill the bounded buffers (and warm the heap); the next 600 may add only what
    // the heap's own growth under a burst does (up to about 40 MB seen on a busy machine), while
    // unbounded buffers added 80–120 MB for them here.
    await burst(300);
    const filled = rssMb(server.pid!);
    await burst(600);
    const after = rssMb(server.pid!);
    console.log(`RSS with 20 unread streams over 900 events: ${before.toFixed(0)} → ${filled.toFixed(0)} → ${after.toFixed(0)} MB`);
    expect(after - filled).toBeLessThan(60);
    sockets.forEach((s) => s.destroy());
    await eventually(async () => (await subscriptions()) <= open, 10_000, 'the streams to be gone');
  }, 120_000);
});

describe('a reader that falls behind', () => {
  it('is cut off once its stream holds more than the buffer allows, and its subscription ends', async () => {
    const t = await startTightStreamsApp();
    try {
      const count = () => metricValue(t, 'hatch_subscriptions_active');
      const socket = unreadSubscription(t.url, t.headers.authorization!);
      await eventually(async () => (await count()) === 1, 10_000, 'the subscription');
      // About 8 MB of events: more than the kernel's socket buffers take for a reader that reads nothing.
      await t.db.query(`INSERT INTO conversations (id, participant_a, participant_b) VALUES ('3a92e7c6-1951-0954-f1a5-632808a295fe', 'Alice', 'Bob')`);
      await t.db.query(
        `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status)
         SELECT '3a92e7c6-1951-0954-f1a5-632808a295fe', 'Alice', 'Bob', repeat('x', 1500) || i, 'OUTBOUND', 'INTERNAL', 'STORED'
           FROM generate_series(1, 5000) i`,
      );
      await eventually(async () => (await count()) === 0, 30_000, 'the slow reader to be cut off');
      socket.destroy();
    } finally {
      await t.close();
    }
  }, 60_000);
});

/** A client that sends a subscription over a raw socket and then never reads a byte (a hung browser). */
function unreadSubscription(base: string, authorization: string): Socket {
  const body = JSON.stringify({ query: 'subscription { messageUpdated { cursor message { body } } }' });
  const socket = connect(Number(new URL(base).port), '127.0.0.1');
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\nAccept: text/event-stream\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.pause();
  return socket;
}
