import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

// A proxy in front of Hatch (nginx's upstream keepalive pool) holds connections open between
// requests and sends the next request on whichever is free. A server that is stopping must let
// such a connection go once its request is answered; otherwise it is reused, and stopping waits
// for the keep-alive timeout or SHUTDOWN_TIMEOUT, whichever comes first, and exits 1.

/** A raw HTTP/1.1 connection whose bytes the test controls, as a proxy's pooled connection is. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (received += d));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  return { socket, closed, received: () => received, opened: new Promise<void>((resolve) => socket.once('connect', () => resolve())) };
}

const kinds = testDatabases();

describe.each(kinds.map((k) => [k.name, k] as const))('stopping with keep-alive connections open (%s)', (_name, kind) => {
  const started = async () => startTestApp(await kind.open());
  const stopped = new WeakSet<TestApp>();
  const stop = async (t: TestApp) => {
    stopped.add(t);
    const at = performance.now();
    await t.app.close();
    return performance.now() - at;
  };
  const cleanUp = async (t: TestApp, conn: ReturnType<typeof rawConnection>) => {
    conn.socket.destroy();
    if (!stopped.has(t)) await t.close();
  };

  it('answers a request in flight with Connection: close and lets its connection go at once', async () => {
    const t = await started();
    const conn = rawConnection(t.url);
    try {
      await conn.opened;
      const body = JSON.stringify({ query: '{ __typename }' });
      // The request's head now, its body once the server is stopping: it is in flight throughout.
      conn.socket.write(
        `POST /graphql HTTP/1.1\r\nHost: ${new URL(t.url).host}\r\nContent-Type: application/json\r\nAuthorization: ${t.headers.authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      await new Promise((r) => setTimeout(r, 100));
      const stopping = stop(t);
      conn.socket.write(body);
      await conn.closed;
      expect(conn.received()).toMatch(/^HTTP\/1\.1 200 /);
      expect(conn.received()).toMatch(/\r\nconnection: close\r\n/i);
      expect(conn.received()).toContain('"__typename":"Query"');
      // Well inside Node's 5 s keep-alive timeout, which is what a reused connection waited for.
      expect(await stopping).toBeLessThan(2000);
    } finally {
      await cleanUp(t, conn);
    }
  }, 30_000);

  it('lets an event stream\'s connection go once the stream is ended', async () => {
    const t = await started();
    const conn = rawConnection(t.url);
    try {
      await conn.opened;
      const query = encodeURIComponent('subscription { messageUpdated { cursor } }');
      conn.socket.write(`GET /graphql?query=${query} HTTP/1.1\r\nHost: ${new URL(t.url).host}\r\nAccept: text/event-stream\r\nAuthorization: ${t.headers.authorization}\r\n\r\n`);
      await eventually(async () => conn.received().includes('\r\n\r\n'), 10_000, 'the stream to open');
      expect(conn.received()).toMatch(/^HTTP\/1\.1 200 /);
      const stopping = stop(t);
      await conn.closed;
      expect(await stopping).toBeLessThan(2000);
    } finally {
      await cleanUp(t, conn);
    }
  }, 30_000);
});
