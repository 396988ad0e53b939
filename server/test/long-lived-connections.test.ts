import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { eventually, metricValue, startTestApp, type TestApp } from '../testing/test-app.ts';

// What a connection that stays open for hours keeps of the request that opened it, and how a
// WebSocket whose peer vanished without a close is found. Rules of the HTTP layer: one database.
const PING_MS = 200;
const UPDATES = 'subscription { messageUpdated { cursor messageId action } }';

describe('long-lived connections', () => {
  let t: TestApp;
  const requests: IncomingMessage[] = [];
  const collect = (req: IncomingMessage) => void requests.push(req);
  beforeAll(async () => {
    t = await startTestApp(await createEmbeddedDatabase(undefined), { streamLimits: { wsPingMs: PING_MS } });
    t.app.server.prependListener('request', collect);
    t.app.server.prependListener('upgrade', collect);
  });
  afterAll(() => t?.close());

  /** A raw graphql-ws connection, signed in and acknowledged; `autoPong: false` plays a peer gone silent. */
  async function connect(autoPong: boolean): Promise<WebSocket> {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws', { autoPong, headers: { cookie: 'a=b', 'user-agent': 'long-lived test' } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: t.headers.authorization } }));
    await new Promise((resolve) => ws.once('message', resolve));
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: UPDATES } }));
    return ws;
  }

  it('an event stream keeps neither the headers nor the body of its request, and carries the headers that govern a stream', async () => {
    requests.length = 0;
    const controller = new AbortController();
    const res = await fetch(`${t.url}/graphql/stream`, {
      method: 'POST',
      headers: { ...t.headers, 'content-type': 'application/json', accept: 'text/event-stream', 'user-agent': 'long-lived test' },
      body: JSON.stringify({ query: UPDATES }),
      signal: controller.signal,
    });
    try {
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      await reader.read();
      const req = requests.find((r) => r.url === '/graphql/stream')!;
      expect(req).toBeDefined();
      expect(req.rawHeaders).toEqual([]);
      expect(req.headers).toEqual({});
      expect((req as { rawBody?: Buffer }).rawBody).toBeUndefined();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      // A message still arrives on it.
      await t.gql('mutation { sendMessage(input: { to: "Long", body: "still here" }) { message { id } } }');
      let text = '';
      while (!text.includes('"messageUpdated"')) text += new TextDecoder().decode((await reader.read()).value);
      expect(text).toMatch(/event: next/);
    } finally {
      controller.abort();
    }
  });

  it("a WebSocket keeps neither its handshake's headers nor its credentials once open, and still runs operations", async () => {
    requests.length = 0;
    const ws = await connect(true);
    try {
      const got = new Promise<string>((resolve) => ws.on('message', (d) => String(d).includes('"next"') && resolve(String(d))));
      await eventually(async () => (await metricValue(t, 'hatch_subscriptions_active')) === 1, 10_000, 'the subscription');
      const req = requests.find((r) => r.url === '/graphql/ws')!;
      expect(req.rawHeaders).toEqual([]);
      expect(req.headers).toEqual({});
      await t.gql('mutation { sendMessage(input: { to: "Long", body: "over ws" }) { message { id } } }');
      expect(await got).toMatch(/"messageUpdated"/);
    } finally {
      ws.close();
    }
    await eventually(async () => (await metricValue(t, 'hatch_subscriptions_active')) === 0, 10_000, 'the subscription to end');
  });

  it('cuts a WebSocket whose peer stopped answering pings, and ends its subscription; one that answers stays', async () => {
    const silent = await connect(false);
    const alive = await connect(true);
    try {
      await eventually(async () => (await metricValue(t, 'hatch_subscriptions_active')) === 2, 10_000, 'both subscriptions');
      const started = Date.now();
      const code = await new Promise<number>((resolve) => silent.once('close', resolve));
      // Pinged at the next beat, cut at the one after: between one and two periods (and some slack).
      expect(code).toBe(1006);
      expect(Date.now() - started).toBeLessThan(PING_MS * 2 + 1000);
      await eventually(async () => (await metricValue(t, 'hatch_subscriptions_active')) === 1, 10_000, 'the silent one to end');
      // Several beats later the one that answers is still open.
      await new Promise((r) => setTimeout(r, PING_MS * 5));
      expect(alive.readyState).toBe(WebSocket.OPEN);
      expect(await metricValue(t, 'hatch_websockets_open')).toBe(1);
    } finally {
      silent.terminate();
      alive.close();
    }
  });
});
