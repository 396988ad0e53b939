import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { readEvents } from './legacy-sse-client.ts';

// The old endpoints sign in and limit exactly as GraphQL does: these go through the shared
// pipeline (sessions, the browser's rules) and MessagesService (the send rate limit).
describe.each(testDatabases().slice(0, 1))('the Flask service API, signed in as the rest of the API ($name database)', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { config: testConfig({ SMS_RATE_LIMIT: '3' }) });
  });
  afterAll(() => t?.close());

  const post = (body: unknown, headers: Record<string, string>) =>
    fetch(`${t.url}/api/send_message`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const count = async () => Number((await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM messages'))[0]!.n);

  it("takes an operator's browser session, refuses it from another site, and stops when it signs out", async () => {
    const { cookie } = await t.operator('legacy@example.com');
    const session = { cookie };
    expect((await fetch(`${t.url}/api/conversations`, { headers: session })).status).toBe(200);

    const sent = await post({ to: 'Session Ann', body: 'from the inbox' }, { ...session, origin: t.url });
    expect(sent.status).toBe(200);
    const { message_id } = (await sent.json()) as { message_id: string };
    const [row] = await t.db.query<{ sent_by_kind: string; from: string }>('SELECT sent_by_kind, "from" FROM messages WHERE id = $1', [message_id]);
    expect(row).toEqual({ sent_by_kind: 'OPERATOR', from: 'Operator' });

    const before = await count();
    const forged = await post({ to: 'Session Ann', body: 'from elsewhere' }, { ...session, origin: 'https://elsewhere.example' });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ success: false, code: 'FORBIDDEN', error: expect.stringMatching(/Cross-site/) });
    expect(await count()).toBe(before);

    const stream = await readEvents(`${t.url}/api/events`, session);
    await stream.until((ev) => ev.length >= 1);
    stream.close();

    expect((await fetch(`${t.url}/auth/sign-out`, { method: 'POST', headers: { ...session, origin: t.url } })).ok).toBe(true);
    const after = await fetch(`${t.url}/api/conversations`, { headers: session });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ success: false, code: 'UNAUTHENTICATED' });
  });

  it('limits sends per token as sendMessage does: 429 with Retry-After, nothing written', async () => {
    const as = { authorization: `Bearer ${await t.token('legacy rate', 'send')}` };
    for (let i = 0; i < 3; i++) expect((await post({ to: 'Rate Ann', from: 'Rate Desk', body: `n${i}` }, as)).status).toBe(200);
    const before = await count();
    const limited = await post({ to: 'Rate Ann', from: 'Rate Desk', body: 'one too many' }, as);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ success: false, code: 'RATE_LIMITED', retry_after_seconds: expect.any(Number), error: expect.any(String) });
    expect(await count()).toBe(before);
    // Another token has its own allowance.
    expect((await post({ to: 'Rate Ann', from: 'Rate Desk', body: 'other token' }, t.headers)).status).toBe(200);
  });

  // Last: the server answers before reading such a body, which leaves that keep-alive connection unusable for the next request.
  it('refuses an oversized request in the old shape, before the endpoint runs', async () => {
    const before = await count();
    const huge = await post({ to: 'Ann', from: 'Bob', body: 'x'.repeat(2 * 1024 * 1024) }, t.headers);
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ success: false, code: 'REQUEST_TOO_LARGE', error: expect.stringMatching(/KiB/) });
    expect(await count()).toBe(before);
  });
});

describe.each(testDatabases().slice(0, 1))('HATCH_LEGACY_API=false ($name database)', ({ open }) => {
  it('answers 404 on /api/*', async () => {
    const t = await startTestApp(await open(), { config: testConfig({ HATCH_LEGACY_API: 'false' }) });
    try {
      for (const path of ['conversations', 'events', 'send_message']) {
        const res = await fetch(`${t.url}/api/${path}`, { headers: t.headers });
        expect(res.status, path).toBe(404);
        expect(await res.json()).toMatchObject({ success: false, code: 'NOT_FOUND', error: expect.stringMatching(/HATCH_LEGACY_API/) });
      }
    } finally {
      await t.close();
    }
  });
});
