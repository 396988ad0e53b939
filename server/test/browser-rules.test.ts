import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { testConfig } from '../testing/config.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

// What a browser may and may not do with an operator's session. One database is enough: these are
// rules of the HTTP layer, before any query runs.
describe('the browser rules', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestApp(await createEmbeddedDatabase(undefined), {
      config: testConfig({ CORS_ORIGINS: 'https://app.example.com', PUBLIC_URL: 'https://hatch.example.com' }),
    });
    cookie = (await t.operator()).cookie;
  });
  afterAll(() => t?.close());

  const stored = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n;
  const mutation = 'mutation{sendMessage(input:{to:"+15557770000",body:"cross-site"}){message{id}}}';

  it('refuses the cross-origin form post that rides on the session cookie, writing nothing', async () => {
    const before = await stored();
    const form = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie },
      body: new URLSearchParams({ query: mutation }),
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    // The same as JSON from a foreign page (a CORS "simple" request cannot send JSON, but be sure),
    // as text/plain, and from our own origin as a form: all refused.
    const json = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie },
      body: JSON.stringify({ query: mutation }),
    });
    expect(json.status).toBe(403);
    expect((await json.json()).errors[0].extensions.code).toBe('FORBIDDEN');
    const text = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: t.url, cookie }, body: JSON.stringify({ query: mutation }) });
    expect(text.status).toBe(415);
    const signOut = await fetch(`${t.url}/auth/sign-out`, { method: 'POST', headers: { origin: 'https://evil.example', cookie } });
    expect(signOut.status).toBe(403);
    expect(await stored()).toBe(before);
    // From our own page (and from the public URL's origin) the same session works.
    for (const origin of [t.url, 'https://hatch.example.com']) {
      const ok = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', origin, cookie }, body: JSON.stringify({ query: '{ viewer { kind } }' }) });
      expect((await ok.json()).data.viewer.kind).toBe('operator');
    }
  });

  it('answers a CORS preflight only for CORS_ORIGINS', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    const friend = await preflight('https://app.example.com');
    expect(friend.status).toBe(204);
    expect(friend.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(friend.headers.get('access-control-allow-credentials')).toBe('true');
    // An actual request from the allowed origin gets its CORS headers; one from another gets none.
    const allowed = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://app.example.com', ...t.headers },
      body: JSON.stringify({ query: '{ viewer { kind } }' }),
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', ...t.headers },
      body: JSON.stringify({ query: '{ viewer { kind } }' }),
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers only to its own host names (DNS rebinding)', async () => {
    // fetch() will not send a Host header of our choosing; node:http will, as a rebound browser would.
    const as = (host: string, path = '/graphql') =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${t.url}${path}`, { method: path === '/graphql' ? 'POST' : 'GET', headers: { host, 'content-type': 'application/json', ...t.headers } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end(path === '/graphql' ? JSON.stringify({ query: '{ viewer { kind } }' }) : undefined);
      });
    for (const host of ['attacker.example', 'attacker.example:4000', '127.0.0.1.attacker.example', 'localhost.attacker.example']) {
      expect(await as(host), host).toBe(421);
    }
    expect(await as('attacker.example', '/')).toBe(421);
    for (const host of ['localhost:4000', '127.0.0.1', 'hatch.example.com', '[::1]:4000']) expect(await as(host), host).toBe(200);
    // Probes answer whatever the host (orchestrators call them by IP).
    expect(await as('10.0.0.7:4000', '/health')).toBe(200);
  });

  it('sends security headers, with a Content-Security-Policy the page and GraphiQL work under', async () => {
    const page = await fetch(`${t.url}/`);
    const graphiql = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html', cookie } });
    const api = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body: '{"query":"{ viewer { kind } }"}' });
    expect(await graphiql.text()).toMatch(/<title>Hatch GraphiQL<\/title>/);
    for (const res of [page, graphiql, api]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    }
    expect(graphiql.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
