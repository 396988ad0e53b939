import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type DurableDatabase } from '../testing/databases.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';

describe.each(testDatabases())('the first operator, on the $name database', ({ durable }) => {
  let store: DurableDatabase;
  let t: TestApp;
  beforeAll(async () => {
    store = await durable();
    t = await startTestApp(await store.connect());
  });
  afterAll(async () => {
    await t?.close();
    await store?.drop();
  });

  const setup = (token: string, body: Record<string, unknown>) =>
    fetch(`${t.url}/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, ...body }) });

  it('is made from the one-time set-up link, which then stops working', async () => {
    const path = t.app.setupPath!;
    expect(path).toMatch(/^\/setup#[A-Za-z0-9_-]{43}$/);
    const token = path.slice('/setup#'.length);
    // A mistake in the form keeps the link usable.
    const weak = await setup(token, { email: 'owner@example.com', name: 'Owner', password: 'short' });
    expect(weak.status).toBe(400);
    expect((await weak.json()).errors).toEqual([expect.objectContaining({ field: 'password', code: 'WEAK_PASSWORD' })]);
    const bad = await setup(token, { email: 'not an email', password: TEST_PASSWORD });
    expect((await bad.json()).errors[0]).toMatchObject({ field: 'email', code: 'INVALID_EMAIL' });
    expect(await setup('guess', { email: 'x@example.com', password: TEST_PASSWORD }).then((r) => r.status)).toBe(410);

    const made = await setup(token, { email: 'Owner@Example.com', name: 'Owner', password: TEST_PASSWORD });
    expect(made.status).toBe(200);
    expect(await made.json()).toMatchObject({ kind: 'operator', email: 'owner@example.com', name: 'Owner' });
    // Signed in straight away.
    const cookie = made.headers.get('set-cookie')!.split(';')[0]!;
    expect(await (await fetch(`${t.url}/auth/session`, { headers: { cookie } })).json()).toMatchObject({ name: 'Owner' });
    const again = await setup(token, { email: 'second@example.com', password: TEST_PASSWORD });
    expect(again.status).toBe(410);
    expect((await again.json()).errors[0].code).toBe('SETUP_LINK_INVALID');
    expect((await t.db.query('SELECT email FROM operators')).map((r: any) => r.email)).toEqual(['owner@example.com']);
  });

  it('is not offered again once an operator exists', async () => {
    await t.close();
    t = await startTestApp(await store.connect());
    expect(t.app.setupPath).toBeUndefined();
    expect(await t.db.query('SELECT * FROM setup_links')).toEqual([]);
  });
});
