import { request } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { testConfig } from '../testing/config.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

/** A GET with this Host header (fetch would not let a test set it). */
function statusWithHost(base: string, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The handshake's answer: 101 when the WebSocket opened, else the refusal's status. */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws', { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

// With HATCH_AUTH=off (allowed on loopback, for development) every request is the operator's: the
// browser's rules must still keep other web pages out.
describe('sign-in off on loopback: any web page the developer visits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await createEmbeddedDatabase(undefined), { config: testConfig({ HATCH_AUTH: 'off', HOST: '127.0.0.1' }) });
  });
  afterAll(() => t?.close());
  const stored = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n;

  it('cannot open a WebSocket from another origin; our own page and programs (no Origin) can', async () => {
    expect(await upgrade(t.url, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade(t.url, { origin: 'null' })).toBe(403);
    expect(await upgrade(t.url, { origin: t.url })).toBe(101);
    expect(await upgrade(t.url, {})).toBe(101);
  });

  it('cannot send with a no-cors POST of no Content-Type, text or a form, nor from another origin as JSON', async () => {
    const before = await stored();
    const body = JSON.stringify({ to: '+15557770001', body: 'from a web page', from: 'x' });
    // What fetch(url, { method: 'POST', mode: 'no-cors', body: new Blob([...]) }) sends: no Content-Type.
    const blob = await fetch(`${t.url}/api/send_message`, { method: 'POST', body: new Blob([body]), headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect([403, 415]).toContain(blob.status);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await fetch(`${t.url}/api/send_message`, { method: 'POST', headers: { 'content-type': type, origin: 'https://evil.example' }, body });
      expect([403, 415], type).toContain(res.status);
      // From no page at all (a program), such a body is still not JSON.
      const bare = await fetch(`${t.url}/api/send_message`, { method: 'POST', headers: { 'content-type': type }, body });
      expect(bare.status, type).toBe(415);
    }
    // No Origin and no Sec-Fetch-Site is a program; with no Content-Type it is refused all the same.
    const untyped = await fetch(`${t.url}/graphql`, { method: 'POST', body: new Blob([JSON.stringify({ query: 'mutation{sendMessage(input:{to:"+15557770001",body:"x"}){message{id}}}' })]) });
    expect(untyped.status).toBe(415);
    const json = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ query: 'mutation{sendMessage(input:{to:"+15557770001",body:"x"}){message{id}}}' }),
    });
    expect(json.status).toBe(403);
    expect(await stored()).toBe(before);
    // Our own page, and a program, still send.
    const own = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.url },
      body: JSON.stringify({ query: 'mutation{sendMessage(input:{to:"Own Page",body:"x"}){message{id}}}' }),
    });
    expect((await own.json()).data.sendMessage.message.id).toBeTruthy();
  });

  it('checks the Host header on every path, probes included (an IP address is accepted there)', async () => {
    const port = new URL(t.url).port;
    for (const path of ['/metrics', '/ready', '/health', '/graphql', '/', '/api/conversations']) {
      expect(await statusWithHost(t.url, path, `rebound.evil.example:${port}`), path).toBe(421);
    }
    for (const path of ['/metrics', '/ready', '/health']) {
      expect(await statusWithHost(t.url, path, `10.1.2.3:${port}`), path).toBe(200);
      expect(await statusWithHost(t.url, path, `[::1]:${port}`), path).toBe(200);
    }
  });
});
