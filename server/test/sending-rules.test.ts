import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../env.ts';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) {
  message { id conversationId from to sentBy { kind name } } errors { field code message retryAfterSeconds } } }`;

describe.each(testDatabases())('who sends what, on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  // Messages and conversations (the outbox empties itself as SMS go out).
  const rows = async () => Number((await t.db.query<{ n: string }>('SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM conversations) AS n'))[0]!.n);
  const send = async (input: Record<string, unknown>, headers?: Record<string, string>, app = t) => (await app.gql(SEND, { input }, headers)).body.data.sendMessage;

  it('limits each token and each operator to SMS_RATE_LIMIT sends a minute, with the time to retry, writing nothing', async () => {
    const limitedApp = await startTestApp(await open(), { config: testConfig({ SMS_RATE_LIMIT: '3' }) });
    try {
      await rateLimits(limitedApp);
    } finally {
      await limitedApp.close();
    }
  });

  async function rateLimits(t: TestApp) {
    const rows = async () => Number((await t.db.query<{ n: string }>('SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM conversations) AS n'))[0]!.n);
    const send = async (input: Record<string, unknown>, headers?: Record<string, string>) => (await t.gql(SEND, { input }, headers)).body.data.sendMessage;
    const limited = { authorization: `Bearer ${await t.token('limited', 'send')}` };
    for (let i = 0; i < 3; i++) expect((await send({ to: '+15557770001', body: `ok ${i}` }, limited)).errors).toEqual([]);
    const before = await rows();
    const refused = await send({ to: '+15557770001', body: 'one too many' }, limited);
    expect(refused.message).toBeNull();
    expect(refused.errors).toEqual([
      { field: null, code: 'RATE_LIMITED', message: expect.stringMatching(/3 messages a minute. Try again in \d+ s/), retryAfterSeconds: expect.any(Number) },
    ]);
    expect(refused.errors[0].retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.errors[0].retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await rows()).toBe(before);
    // Concurrent requests cannot all slip under the limit.
    const burst = { authorization: `Bearer ${await t.token('burst', 'send')}` };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => send({ to: 'Burst', body: `b${i}` }, burst)));
    expect(results.filter((r) => r.errors.length === 0)).toHaveLength(3);
    // Another sender has a budget of its own; an operator too.
    expect((await send({ to: 'Someone', body: 'mine' })).errors).toEqual([]);
    const { cookie } = await t.operator();
    for (let i = 0; i < 3; i++) expect((await send({ to: 'Desk', body: `op ${i}` }, { cookie, origin: t.url })).errors).toEqual([]);
    expect((await send({ to: 'Desk', body: 'op 4' }, { cookie, origin: t.url })).errors[0].code).toBe('RATE_LIMITED');
  }

  it('refuses SMS to countries outside SMS_ALLOWED_COUNTRIES (default: the sending number\'s), writing nothing', async () => {
    const before = await rows();
    for (const to of ['+447700900123', '+33612345678', '+819012345678']) {
      const r = await send({ to, body: 'premium?' });
      expect(r.errors, to).toEqual([expect.objectContaining({ field: 'to', code: 'DESTINATION_NOT_ALLOWED' })]);
    }
    expect(await rows()).toBe(before);
    expect((await send({ to: '+14155550100', body: 'US is fine' })).errors).toEqual([]);
    const uk = await startTestApp(await open(), { config: testConfig({ SMS_ALLOWED_COUNTRIES: 'GB' }) });
    try {
      const r = await uk.gql(SEND, { input: { to: '+447700900123', body: 'hello UK' } });
      expect(r.body.data.sendMessage.errors).toEqual([]);
      const us = await uk.gql(SEND, { input: { to: '+14155550100', body: 'not here' } });
      expect(us.body.data.sendMessage.errors[0].code).toBe('DESTINATION_NOT_ALLOWED');
    } finally {
      await uk.close();
    }
  });

  it('records who wrote each message', async () => {
    const byToken = await send({ to: 'Authors', body: 'from a program' });
    expect(byToken.message.sentBy).toEqual({ kind: 'TOKEN', name: expect.stringMatching(/^tests /) });
    const { cookie } = await t.operator('ana@example.com');
    const byOperator = await send({ to: 'Authors', body: 'from Ana' }, { cookie, origin: t.url });
    expect(byOperator.message.sentBy).toEqual({ kind: 'OPERATOR', name: 'ana' });
    const q = await t.gql('query($id: ID!) { conversation(id: $id) { messages(first: 5) { edges { node { body sentBy { kind name } } } } } }', {
      id: byOperator.message.conversationId,
    });
    expect(q.body.data.conversation.messages.edges.map((e: any) => e.node.sentBy.kind)).toEqual(['TOKEN', 'OPERATOR']);
  });

  it('puts a reply in the conversation it was typed in, from our side of it', async () => {
    const alice = await send({ from: 'Alice', to: 'Bob', body: 'Hi Bob' });
    const id = alice.message.conversationId;
    expect(id).toBe('3a92e7c6-1951-0954-f1a5-632808a295fe');
    const c = await t.gql('query($id: ID!) { conversation(id: $id) { ours contact { address } } }', { id });
    expect(c.body.data.conversation).toEqual({ ours: 'Alice', contact: { address: 'Bob' } });
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations'))[0]!.n;
    const reply = await send({ conversationId: id, body: 'A reply typed in the thread' });
    expect(reply.errors).toEqual([]);
    expect(reply.message).toMatchObject({ conversationId: id, from: 'Alice', to: 'Bob' });
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations'))[0]!.n).toBe(before);
    // Replies to an unknown or malformed conversation, or from a stranger, are refused.
    expect((await send({ conversationId: '00000000-0000-0000-0000-000000000000', body: 'x' })).errors[0]).toMatchObject({ field: 'conversationId', code: 'NOT_FOUND' });
    expect((await send({ conversationId: 'nope', body: 'x' })).errors[0]).toMatchObject({ field: 'conversationId', code: 'NOT_FOUND' });
    expect((await send({ conversationId: id, from: 'Mallory', body: 'x' })).errors[0]).toMatchObject({ field: 'from', code: 'INVALID_SENDER' });
    expect((await send({ conversationId: id, to: 'Carol', body: 'x' })).errors[0]).toMatchObject({ field: 'to', code: 'INVALID_RECIPIENT' });
    expect((await send({ body: 'to nobody' })).errors[0]).toMatchObject({ field: 'to', code: 'INVALID_RECIPIENT' });
  });

  it('asks which side sends when neither side of a conversation is ours', async () => {
    const id = conversationId('Dana', 'Eli');
    await t.db.query(`INSERT INTO conversations (id, participant_a, participant_b) VALUES ($1, 'Dana', 'Eli')`, [id]);
    const c = await t.gql('query($id: ID!) { conversation(id: $id) { ours contact { address } } }', { id });
    expect(c.body.data.conversation).toEqual({ ours: null, contact: null });
    expect((await send({ conversationId: id, body: 'who am I?' })).errors[0]).toMatchObject({ field: 'from', code: 'INVALID_SENDER' });
    const asEli = await send({ conversationId: id, from: 'Eli', body: 'as Eli' });
    expect(asEli.message).toMatchObject({ conversationId: id, from: 'Eli', to: 'Dana' });
    // Sending from one side makes it ours from then on.
    const again = await t.gql('query($id: ID!) { conversation(id: $id) { ours } }', { id });
    expect(again.body.data.conversation.ours).toBe('Eli');
  });
});

describe('HATCH_AUTH=off', () => {
  it('is refused on anything but a loopback address', () => {
    expect(() => parseEnv({ HATCH_AUTH: 'off', HOST: '0.0.0.0' })).toThrow(EnvError);
    expect(() => parseEnv({ HATCH_AUTH: 'off', HOST: '192.168.1.10' })).toThrow(/HATCH_AUTH: off is only allowed/);
    expect(parseEnv({ HATCH_AUTH: 'off', HOST: '127.0.0.1' }).HATCH_AUTH).toBe(false);
    expect(parseEnv({}).HATCH_AUTH).toBe(true);
  });

  it('serves everyone as the operator, and says so', async () => {
    const [kind] = testDatabases();
    const t = await startTestApp(await kind!.open(), { config: testConfig({ HATCH_AUTH: 'off' }) });
    try {
      const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SEND, variables: { input: { to: 'Local', body: 'no sign-in' } } }) });
      const { data } = await res.json();
      expect(data.sendMessage.message.sentBy).toEqual({ kind: 'OPERATOR', name: 'Operator' });
      expect(t.app.setupPath).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
