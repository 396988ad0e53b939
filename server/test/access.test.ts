import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { eventually, startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';

const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }`;
const UPDATES = `subscription { messageUpdated { cursor messageId } }`;

/** Every log line the server writes during the file, to check no secret is in one. */
const logLines: string[] = [];
const log = pino(
  { level: 'trace' },
  new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

describe.each(testDatabases())('sign-in on the $name database', ({ open }) => {
  let t: TestApp;
  const secrets: string[] = [TEST_PASSWORD];
  beforeAll(async () => {
    t = await startTestApp(await open(), { log });
    secrets.push(t.headers.authorization!.slice('Bearer '.length));
  });
  afterAll(async () => {
    await t?.close();
    // Passwords, tokens and session cookies never reach a log line, at any level.
    const text = logLines.join('');
    expect(text.length).toBeGreaterThan(1000);
    for (const s of secrets) expect(text, 'a secret in the logs').not.toContain(s);
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const messages = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n;
  const expectUnauthenticated = async (res: Response) => {
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  };

  it('refuses anonymous and bad credentials on every entry point with 401 UNAUTHENTICATED, writing nothing', async () => {
    const before = await messages();
    const bad: Record<string, string>[] = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer hatch_notarealtoken' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: `Bearer ${'x'.repeat(5000)}` },
      { cookie: 'hatch_session=forged' },
    ];
    for (const headers of bad) {
      await expectUnauthenticated(await post('/graphql', { query: SEND, variables: { input: { to: 'Bob', body: 'x' } } }, headers));
      await expectUnauthenticated(await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ conversations(first: 1) { edges { cursor } } }')}`, { headers }));
      // Both SSE modes: distinct connections, and the single-connection reservation and stream.
      await expectUnauthenticated(await post('/graphql', { query: UPDATES }, { ...headers, accept: 'text/event-stream' }));
      await expectUnauthenticated(await fetch(`${t.url}/graphql/stream`, { method: 'PUT', headers }));
      await expectUnauthenticated(await fetch(`${t.url}/graphql/stream`, { headers: { ...headers, accept: 'text/event-stream' } }));
      await expectUnauthenticated(await fetch(`${t.url}/auth/session`, { headers }));
    }
    // A person opening GraphiQL is sent to sign in, and back.
    const graphiql = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(graphiql.status).toBe(303);
    expect(graphiql.headers.get('location')).toBe('/sign-in?next=%2Fgraphql');
    // Probes stay open; /ready says no more than ready or not.
    expect(await (await fetch(`${t.url}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${t.url}/ready`)).json()).toEqual({ status: 'ready' });
    expect(await messages()).toBe(before);
  });

  it('lets a read token query and subscribe but not send: FORBIDDEN, nothing written', async () => {
    const read = { authorization: `Bearer ${await t.token('reader', 'read')}` };
    secrets.push(read.authorization.slice(7));
    const before = await messages();
    const q = await t.gql('{ viewer { kind name canSend } conversations(first: 1) { edges { cursor } } }', {}, read);
    expect(q.body.data.viewer).toEqual({ kind: 'token', name: 'reader', canSend: false });
    const m = await t.gql(SEND, { input: { to: 'Bob', body: 'should not be sent' } }, read);
    expect(m.body.data).toBeNull();
    expect(m.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(m.body.errors[0].message).toMatch(/may only read/);
    expect(await messages()).toBe(before);
    const sub = subscribe(sseClient({ url: t.url, headers: read }, 'distinct'), UPDATES);
    await eventually(async () => {
      const sent = await t.gql(SEND, { input: { to: 'Reader check', body: 'ping' } });
      await new Promise((r) => setTimeout(r, 100));
      return sub.events.some((e) => e.data.messageUpdated.messageId === sent.body.data.sendMessage.message.id);
    }, 5000, 'the read token to receive events');
    sub.dispose();
  });

  it('keeps token management to operators', async () => {
    const asToken = await t.gql('mutation { createApiToken(name: "sneaky", scope: SEND) { token errors { code } } }');
    expect(asToken.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const list = await t.gql('{ apiTokens { name } }');
    expect(list.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const operator = await t.operator();
    const origin = { cookie: operator.cookie, origin: t.url };
    const made = await t.gql('mutation { createApiToken(name: "made by Ana", scope: SEND) { token apiToken { id name scope createdBy } errors { code } } }', {}, origin);
    const { token, apiToken } = made.body.data.createApiToken;
    secrets.push(token);
    expect(token).toMatch(/^hatch_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({ name: 'made by Ana', scope: 'SEND', createdBy: 'operator1' });
    // Shown once: never listed, and only its hash is stored.
    const listed = await t.gql('{ apiTokens { id name lastUsedAt revokedAt } }', {}, origin);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(await t.db.query('SELECT * FROM api_tokens'))).not.toContain(token);
    const dup = await t.gql('mutation { createApiToken(name: "made by Ana") { token errors { code } } }', {}, origin);
    expect(dup.body.data.createApiToken).toEqual({ token: null, errors: [{ code: 'NAME_TAKEN' }] });
    // It works, and its use is recorded (to the minute).
    const used = await t.gql('{ viewer { name } }', {}, { authorization: `Bearer ${token}` });
    expect(used.body.data.viewer.name).toBe('made by Ana');
    const after = await t.gql('{ apiTokens { name lastUsedAt } }', {}, origin);
    expect(after.body.data.apiTokens.find((x: any) => x.name === 'made by Ana').lastUsedAt).not.toBeNull();
  });

  for (const mode of ['distinct', 'single'] as const) {
    it(`stops a revoked token at once, ending its open subscriptions (${mode} SSE)`, async () => {
      const operator = await t.operator();
      const asOperator = { cookie: operator.cookie, origin: t.url };
      const made = await t.gql(`mutation { createApiToken(name: "revoke me ${mode}") { token apiToken { id } } }`, {}, asOperator);
      const { token, apiToken } = made.body.data.createApiToken;
      secrets.push(token);
      const bearer = { authorization: `Bearer ${token}` };
      const sub = subscribe(sseClient({ url: t.url, headers: bearer }, mode), UPDATES);
      await eventually(async () => {
        const sent = await t.gql(SEND, { input: { to: `Revocation ${mode}`, body: 'ping' } });
        await new Promise((r) => setTimeout(r, 100));
        return sub.events.some((e) => e.data.messageUpdated.messageId === sent.body.data.sendMessage.message.id);
      }, 5000, 'the subscription to be live');
      const revoked = await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) { apiToken { revokedAt } errors { code } } }', { id: apiToken.id }, asOperator);
      expect(revoked.body.data.revokeApiToken.apiToken.revokedAt).not.toBeNull();
      await expect(sub.until(() => false, 3000)).rejects.toThrow(/UNAUTHENTICATED|revoked/);
      await expectUnauthenticated(await post('/graphql', { query: '{ viewer { name } }' }, bearer));
      const again = await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) { errors { code } } }', { id: apiToken.id }, asOperator);
      expect(again.body.data.revokeApiToken.errors).toEqual([{ code: 'NOT_FOUND' }]);
    });
  }

  it('signs an operator in with a new HttpOnly, SameSite=Lax cookie each time, and out again', async () => {
    const { email, cookie: first } = await t.operator('ana@example.com');
    const res = await post('/auth/sign-in', { email: 'ANA@example.com ', password: TEST_PASSWORD }, { cookie: first });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'operator', email, name: 'ana' });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^hatch_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Expires=/);
    expect(setCookie).not.toMatch(/Secure/); // plain http on loopback
    const second = setCookie.split(';')[0]!;
    secrets.push(first.split('=')[1]!, second.split('=')[1]!);
    expect(second).not.toBe(first);
    // The session from before this sign-in no longer works.
    await expectUnauthenticated(await fetch(`${t.url}/auth/session`, { headers: { cookie: first } }));
    expect((await fetch(`${t.url}/auth/session`, { headers: { cookie: second } })).status).toBe(200);
    const sub = subscribe(sseClient({ url: t.url, headers: { cookie: second } }, 'distinct'), UPDATES);
    await eventually(async () => {
      const sent = await t.gql(SEND, { input: { to: 'Sign-out check', body: 'ping' } });
      await new Promise((r) => setTimeout(r, 100));
      return sub.events.some((e) => e.data.messageUpdated.messageId === sent.body.data.sendMessage.message.id);
    }, 5000, 'the session subscription to be live');
    const out = await post('/auth/sign-out', {}, { cookie: second, origin: t.url });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/hatch_session=;/);
    await expect(sub.until(() => false, 3000)).rejects.toThrow(/UNAUTHENTICATED|revoked/);
    await expectUnauthenticated(await fetch(`${t.url}/auth/session`, { headers: { cookie: second } }));
  });

  it('marks the cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    const proxied = await startTestApp(await open(), { config: testConfig({ TRUST_PROXY: 'true', PUBLIC_URL: 'https://hatch.example.com' }) });
    try {
      const { email, password } = await proxied.operator();
      const res = await fetch(`${proxied.url}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hatch.example.com' },
        body: JSON.stringify({ email, password }),
      });
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('refuses an email, name or link Postgres cannot hold as a bad request, never a 500', async () => {
    for (const [path, body] of [
      ['/auth/sign-in', { email: '\u0000', password: '(555) 123-4567' }],
      ['/auth/setup', { token: 'x', email: 'a\u0000@example.com', password: TEST_PASSWORD }],
      ['/auth/setup', { token: '\u0000', email: 'a@example.com', name: 'A\u0000', password: TEST_PASSWORD }],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, path).toBe(400);
      expect((await res.json()).code).toBe('BAD_REQUEST');
    }
  });

  it('refuses a wrong password the same way as an unknown email, and slows down guessing', async () => {
    await t.operator('guessme@example.com');
    const wrong = await post('/auth/sign-in', { email: 'guessme@example.com', password: 'not the password' });
    const unknown = await post('/auth/sign-in', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.get('set-cookie')).toBeNull();
    for (let i = 0; i < 9; i++) await post('/auth/sign-in', { email: 'guessme@example.com', password: `guess ${i}` });
    const limited = await post('/auth/sign-in', { email: 'guessme@example.com', password: TEST_PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).code).toBe('RATE_LIMITED');
    expect((await post('/auth/sign-in', 'email=a&password=b')).status).toBe(400);
  });

  it('lets an expired session in nowhere', async () => {
    const { cookie } = await t.operator();
    expect((await fetch(`${t.url}/auth/session`, { headers: { cookie } })).status).toBe(200);
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second'`);
    await expectUnauthenticated(await fetch(`${t.url}/auth/session`, { headers: { cookie } }));
    await expectUnauthenticated(await post('/graphql', { query: '{ viewer { name } }' }, { cookie, origin: t.url }));
  });
});
