import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { createOperator } from '../modules/access/operators.service.ts';
import { testConfig } from '../testing/config.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';

// Password guessing against /auth/sign-in: counted before the password is checked, keyed on the
// address and the account together, slowing rather than locking an account, and logged.
describe('sign-in under a guessing run', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  );
  beforeAll(async () => {
    // Behind a proxy (TRUST_PROXY), so that a test can come from many addresses.
    t = await startTestApp(await createEmbeddedDatabase(undefined), { config: testConfig({ TRUST_PROXY: 'true' }), log });
    for (const email of ['owner@example.com', 'target@example.com', 'slow@example.com']) await createOperator(t.db, { email, password: TEST_PASSWORD });
  });
  afterAll(() => t?.close());

  const signIn = (email: string, password: string, address: string) =>
    fetch(`${t.url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ email, password }),
    });

  it('limits 40 parallel guesses at one account from one address like serial ones', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => signIn('target@example.com', 'wrong', '198.51.100.1')));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    expect(answers.find((r) => r.status === 429)!.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('limits 60 parallel guesses from one address over many accounts to 50', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn(`nobody${i}@example.com`, 'wrong', '198.51.100.2')));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('does not lock the owner out: 11 wrong guesses from one address, then the right password from another', async () => {
    for (let i = 0; i < 11; i++) await signIn('owner@example.com', 'wrong', '203.0.113.9');
    expect((await signIn('owner@example.com', 'wrong', '203.0.113.9')).status).toBe(429);
    const owner = await signIn('owner@example.com', TEST_PASSWORD, '192.0.2.50');
    expect(owner.status).toBe(200);
    expect(owner.headers.get('set-cookie')).toMatch(/hatch_session=/);
  });

  it('slows an account under a distributed guess (one address each) without blocking it', async () => {
    const timed = async (address: string, password = 'wrong') => {
      const started = performance.now();
      const res = await signIn('slow@example.com', password, address);
      return { status: res.status, ms: performance.now() - started };
    };
    for (let i = 0; i < 10; i++) expect((await timed(`198.18.0.${i}`)).status).toBe(401);
    const slowed = await timed('198.18.1.1');
    expect(slowed.status).toBe(401);
    const slower = await timed('198.18.1.2');
    expect(slower.status).toBe(401);
    // Past ten failures each answer waits (250 ms, then 500 ms, … up to 5 s), and the right password still works.
    expect(slower.ms).toBeGreaterThanOrEqual(450);
    expect((await timed('198.18.1.3', TEST_PASSWORD)).status).toBe(200);
  });

  it("logs the client address (the proxy's header only under TRUST_PROXY) and the account as typed", async () => {
    lines.length = 0;
    await signIn('  Target@Example.com', 'wrong', '198.51.100.77');
    const failed = lines.find((l) => l.msg === 'sign-in failed');
    expect(failed).toMatchObject({ address: '198.51.100.77', account: '  Target@Example.com' });
    expect(JSON.stringify(failed)).not.toContain('wrong');
    const refused = lines.find((l) => l.msg === 'sign-in refused: too many attempts');
    expect(refused ?? null).toBeNull();
    await Promise.all(Array.from({ length: 12 }, () => signIn('target@example.com', 'wrong', '198.51.100.78')));
    expect(lines.find((l) => l.msg === 'sign-in refused: too many attempts')).toMatchObject({ address: '198.51.100.78', account: 'target@example.com' });
  });
});

describe('sign-in without TRUST_PROXY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await createEmbeddedDatabase(undefined));
    for (const email of ['direct@example.com', 'csrf@example.com']) await createOperator(t.db, { email, password: TEST_PASSWORD });
  });
  afterAll(() => t?.close());

  it('ignores X-Forwarded-For: a guesser cannot claim a new address per request', async () => {
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        fetch(`${t.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.0.${i}` }, body: JSON.stringify({ email: 'direct@example.com', password: 'wrong' }) }),
      ),
    );
    expect(answers.filter((r) => r.status === 429)).toHaveLength(5);
  });

  it('refuses a sign-in that is not JSON or comes from another site (login CSRF), setting no cookie', async () => {
    const body = JSON.stringify({ email: 'csrf@example.com', password: TEST_PASSWORD });
    const untyped = await fetch(`${t.url}/auth/sign-in`, { method: 'POST', body: new Blob([body]), headers: { origin: 'https://evil.example' } });
    expect([403, 415]).toContain(untyped.status);
    expect(untyped.headers.get('set-cookie')).toBeNull();
    const text = await fetch(`${t.url}/auth/sign-in`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const foreign = await fetch(`${t.url}/auth/sign-in`, { method: 'POST', body, headers: { 'content-type': 'application/json', origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    const own = await fetch(`${t.url}/auth/sign-in`, { method: 'POST', body, headers: { 'content-type': 'application/json', origin: t.url } });
    expect(own.status).toBe(200);
  });
});
