import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { testConfig } from '../testing/config.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

/** A raw connection: what it was sent back, and whether the server closed it. */
function rawConnection(url: string) {
  const { port } = new URL(url);
  const socket: Socket = connect(Number(port), '127.0.0.1');
  let received = '';
  let closed = false;
  socket.on('data', (d) => (received += d));
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  return {
    socket,
    write: (data: string | Buffer) => new Promise<void>((resolve) => socket.write(data, () => resolve())),
    received: () => received,
    closed: () => closed,
    async waitFor(check: () => boolean, ms: number): Promise<boolean> {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (check()) return true;
        await new Promise((r) => setTimeout(r, 20));
      }
      return check();
    },
  };
}

const head = (path: string, length: number, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe('request bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await createEmbeddedDatabase(undefined), { config: testConfig({ REQUEST_BODY_TIMEOUT: '1s' }) });
  });
  afterAll(() => t?.close());

  it('checks the credential before reading a body: an anonymous half-sent body gets 401 at once, and the connection closes', async () => {
    const conns = Array.from({ length: 20 }, () => rawConnection(t.url));
    for (const c of conns) await c.write(head('/graphql', 1024 * 1024) + 'x'.repeat(512 * 1024));
    for (const c of conns) {
      expect(await c.waitFor(() => c.received().includes('\r\n\r\n'), 5000)).toBe(true);
      expect(c.received()).toMatch(/^HTTP\/1\.1 401/);
      expect(c.received()).toMatch(/connection: close/i);
      expect(await c.waitFor(c.closed, 5000)).toBe(true);
    }
    // The old API too, with an Authorization header that does not work.
    const legacy = rawConnection(t.url);
    await legacy.write(head('/api/send_message', 1000, 'Authorization: Bearer hatch_nope\r\n') + '{"to":');
    expect(await legacy.waitFor(() => legacy.received().includes('\r\n\r\n'), 5000)).toBe(true);
    expect(legacy.received()).toMatch(/^HTTP\/1\.1 401/);
  });

  it('answers 408 when a signed-in body does not arrive in time, and closes the connection', async () => {
    const c = rawConnection(t.url);
    await c.write(head('/graphql', 100, `Authorization: ${t.headers.authorization}\r\n`) + '{"query":');
    const started = Date.now();
    expect(await c.waitFor(() => c.received().includes('\r\n\r\n'), 5000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(c.received()).toContain('REQUEST_TIMEOUT');
    expect(await c.waitFor(c.closed, 5000)).toBe(true);
  });

  it('keeps a keep-alive connection usable after a 413', async () => {
    const c = rawConnection(t.url);
    const big = 2 * 1024 * 1024;
    await c.write(head('/graphql', big, `Authorization: ${t.headers.authorization}\r\n`));
    await c.write(Buffer.alloc(big, 'x'));
    expect(await c.waitFor(() => c.received().includes('REQUEST_TOO_LARGE'), 5000)).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 413/);
    const query = JSON.stringify({ query: '{ viewer { kind } }' });
    await c.write(head('/graphql', Buffer.byteLength(query), `Authorization: ${t.headers.authorization}\r\n`) + query);
    expect(await c.waitFor(() => c.received().includes('"kind":"token"'), 5000)).toBe(true);
    expect(c.closed()).toBe(false);
    c.socket.destroy();
  });
});
