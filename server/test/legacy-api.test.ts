import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../modules/access/api-tokens.service.ts';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { readEvents, type SseEvent } from './legacy-sse-client.ts';

// The keepalive comes every 30 s in production; tests shorten it through the stream limits.
const KEEPALIVE_MS = 300;
const limits = { maxBufferedBytes: 1024 * 1024, legacyKeepaliveMs: KEEPALIVE_MS };

const MESSAGE_KEYS = ['id', 'to_contact', 'from_contact', 'body', 'conversation_id', 'timestamp', 'status', 'direction'];
const updates = (events: SseEvent[]) => events.filter((e) => e.data.type === 'message_update');

describe.each(testDatabases())('the Flask service API on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { streamLimits: limits });
  });
  afterAll(() => t?.close());

  const api = (path: string, init: RequestInit & { as?: Record<string, string> } = {}) =>
    fetch(`${t.url}/api/${path}`, { ...init, headers: { ...(init.as ?? t.headers), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
  const send = async (payload: unknown, as?: Record<string, string>, headers?: Record<string, string>) => {
    const res = await api('send_message', { method: 'POST', body: typeof payload === 'string' ? payload : JSON.stringify(payload), as, headers });
    return { status: res.status, body: await res.json() };
  };
  const count = async () => Number((await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM messages'))[0]!.n);
  const events = (headers: Record<string, string> = {}) => readEvents(`${t.url}/api/events`, { ...t.headers, ...headers });

  it('refuses anyone not signed in with 401, in the old error shape', async () => {
    for (const [path, method] of [['conversations', 'GET'], [`conversation/${conversationId('a', 'b')}/messages`, 'GET'], ['events', 'GET'], ['send_message', 'POST']] as const) {
      const res = await api(path, { method, as: {}, body: method === 'POST' ? '{"to":"Ann","from":"Bob","body":"hi"}' : undefined });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect(await res.json()).toMatchObject({ success: false, code: 'UNAUTHENTICATED', error: expect.stringMatching(/token/) });
    }
    const wrong = await api('conversations', { as: { authorization: 'Bearer hatch_nope' } });
    expect(wrong.status).toBe(401);
  });

  it('sends a stored-only message and an SMS through sendMessage, answering as the old service did', async () => {
    const stored = await send({ to: 'Legacy Ann', from: 'Legacy Desk', body: 'stored hello' });
    expect(stored).toEqual({
      status: 200,
      body: { success: true, message_id: expect.any(String), conversation_id: conversationId('Legacy Ann', 'Legacy Desk'), status: 'sent', method: 'database' },
    });
    const sms = await send({ to: '+15557654321', from: '+15005550006', body: 'sms hello', conversation_id: 'ignored' });
    expect(sms.body).toMatchObject({ success: true, status: 'queued', method: 'twilio', conversation_id: conversationId('+15557654321', '+15005550006') });
    const [row] = await t.db.query<{ channel: string; sent_by_kind: string }>('SELECT channel, sent_by_kind FROM messages WHERE id = $1', [sms.body.message_id]);
    expect(row).toEqual({ channel: 'SMS', sent_by_kind: 'TOKEN' });
  });

  it('answers bad input with 400, success false and an error, and writes nothing', async () => {
    const before = await count();
    const cases: [unknown, RegExp][] = [
      ['not json', /JSON object/],
      [[1, 2], /JSON object/],
      [{ from: 'A', body: 'x' }, /Missing required field: to/],
      [{ to: 'A', from: 'B' }, /Missing required field: body/],
      [{ to: 42, from: 'B', body: 'x' }, /`to` must be a string/],
      [{ to: 'Ann', from: 'Bob', body: '   ' }, /empty/i],
      [{ to: 'Ann', from: 'Bob', body: 'x'.repeat(1601) }, /at most 1600/],
      [{ to: '+1 555', from: 'Bob', body: 'x' }, /not a phone number/],
      [{ to: 'Ann', from: 'Bob', body: 'nul \u0000 here' }, /cannot be stored/],
      [{ to: 'Ann', from: 'Ann', body: 'me to me' }, /same/],
      [{ to: 'Ann', from: 'Bob', body: 'x', idempotency_key: '' }, /idempotency key/i],
    ];
    for (const [payload, error] of cases) {
      const res = await send(payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body).toMatchObject({ success: false, error: expect.stringMatching(error), code: expect.any(String) });
    }
    const form = await api('send_message', { method: 'POST', body: 'to=Ann&from=Bob&body=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ success: false, error: expect.stringMatching(/application\/json/) });
    expect(await count()).toBe(before);
  });

  it('lets a read token read but not send', async () => {
    const reader = { authorization: `Bearer ${await t.token('legacy reader', 'read')}` };
    expect((await api('conversations', { as: reader })).status).toBe(200);
    const before = await count();
    const res = await send({ to: 'Ann', from: 'Bob', body: 'not allowed' }, reader);
    expect(res).toMatchObject({ status: 403, body: { success: false, code: 'FORBIDDEN', error: expect.stringMatching(/may only read/) } });
    expect(await count()).toBe(before);
  });

  it('sends once per idempotency key, given in the body or as the Idempotency-Key header', async () => {
    const first = await send({ to: 'Idem Ann', from: 'Idem Bob', body: 'once', idempotency_key: 'legacy-1' });
    const again = await send({ to: 'Idem Ann', from: 'Idem Bob', body: 'once' }, undefined, { 'idempotency-key': 'legacy-1' });
    expect(again.body.message_id).toBe(first.body.message_id);
    const reused = await send({ to: 'Idem Ann', from: 'Idem Bob', body: 'different', idempotency_key: 'legacy-1' });
    expect(reused).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('lists every conversation, most recent first, in the old shape', async () => {
    await send({ to: 'List Older', from: 'Desk', body: 'first' });
    await send({ to: 'List Newer', from: 'Desk', body: 'second' });
    const res = await api('conversations');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const { conversations } = await res.json();
    const [newer, older] = conversations;
    expect(newer).toEqual({
      conversation_id: conversationId('Desk', 'List Newer'),
      participants: 'List Newer, Desk',
      last_message: 'second',
      last_timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
      last_message_date: newer.last_timestamp,
      has_phone_numbers: false,
    });
    expect(older.conversation_id).toBe(conversationId('Desk', 'List Older'));
    const total = Number((await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM conversations'))[0]!.n);
    expect(conversations).toHaveLength(total);
    const times = conversations.map((c: { last_timestamp: string }) => Date.parse(c.last_timestamp));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("lists a conversation's messages oldest first with the old words, past one page", async () => {
    const id = (await send({ to: 'Thread Ann', from: 'Thread Desk', body: 'm0' })).body.conversation_id;
    // Inbound messages as an inbound SMS would write them, with times in order; more than a page.
    await t.db.query(
      `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status, sent_by_kind, created_at)
       SELECT $1, 'Thread Ann', 'Thread Desk', 'in ' || i, 'INBOUND', 'INTERNAL', 'RECEIVED', 'SMS_CONTACT', now() + i * interval '1 ms'
         FROM generate_series(1, 1100) AS i`,
      [id],
    );
    const { messages } = await (await api(`conversation/${id.toUpperCase()}/messages`)).json();
    expect(messages).toHaveLength(1101);
    expect(Object.keys(messages[0])).toEqual(expect.arrayContaining(MESSAGE_KEYS));
    expect(messages[0]).toMatchObject({ body: 'm0', from_contact: 'Thread Desk', to_contact: 'Thread Ann', status: 'sent', direction: 'outbound-api', conversation_id: id });
    expect(messages[1]).toMatchObject({ body: 'in 1', status: 'received', direction: 'inbound-api' });
    expect(messages.at(-1).body).toBe('in 1100');
    expect(new Set(messages.map((m: { id: string }) => m.id)).size).toBe(1101);

    expect(await (await api(`conversation/${conversationId('No', 'Body')}/messages`)).json()).toEqual({ messages: [] });
    const bad = await api('conversation/not-an-id/messages');
    expect(bad.status).toBe(400);
    expect((await api('conversation/x/nothing')).status).toBe(404);
  });

  it('streams connected at once, every change as message_update with its cursor as id, and keepalives', async () => {
    const stream = await events();
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const [connected] = await stream.until((ev) => ev.length >= 1);
    expect(connected).toMatchObject({ event: undefined, id: expect.stringMatching(/^\d+$/), data: { type: 'connected', timestamp: expect.any(Number), resumed: false } });
    const sent = (await send({ to: 'Live Ann', from: 'Live Desk', body: 'live' })).body;
    const [update] = updates(await stream.until((ev) => updates(ev).length >= 1));
    expect(update!.data).toEqual({ type: 'message_update', conversation_id: sent.conversation_id, action: 'INSERT', message_id: sent.message_id, timestamp: expect.any(Number) });
    expect(Math.abs(update!.data.timestamp - Date.now() / 1000)).toBeLessThan(60);
    const [seq] = await t.db.query<{ seq: string }>('SELECT seq::text FROM message_changes WHERE message_id = $1', [sent.message_id]);
    expect(update!.id).toBe(seq!.seq);
    const keepalives = await stream.until((ev) => ev.filter((e) => e.data.type === 'keepalive').length >= 2, KEEPALIVE_MS * 10);
    expect(keepalives.find((e) => e.data.type === 'keepalive')!.id).toBeUndefined();
    stream.close();
  });

  it('resumes from Last-Event-ID with no gap and no duplicate, also from the connected id', async () => {
    const first = await events();
    const [connected] = await first.until((ev) => ev.length >= 1);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await send({ to: `Resume ${i % 2}`, from: 'Resume Desk', body: `r${i}` })).body.message_id);
    const seen = updates(await first.until((ev) => updates(ev).length >= 3)).slice(0, 3);
    first.close();
    for (let i = 5; i < 10; i++) ids.push((await send({ to: `Resume ${i % 2}`, from: 'Resume Desk', body: `r${i}` })).body.message_id);

    const resumed = await events({ 'last-event-id': seen.at(-1)!.id! });
    await resumed.until((ev) => ev.length >= 1);
    expect(resumed.events[0]!.data).toMatchObject({ type: 'connected', resumed: true });
    ids.push((await send({ to: 'Resume 0', from: 'Resume Desk', body: 'r10' })).body.message_id);
    const rest = updates(await resumed.until((ev) => updates(ev).length >= 8));
    expect([...seen, ...rest].map((e) => e.data.message_id)).toEqual(ids);
    const cursors = [...seen, ...rest].map((e) => BigInt(e.id!));
    for (let i = 1; i < cursors.length; i++) expect(cursors[i]! > cursors[i - 1]!).toBe(true);
    resumed.close();

    // A client that got nothing but `connected` before it lost the stream misses nothing either.
    const fromStart = await events({ 'last-event-id': connected!.id! });
    const all = updates(await fromStart.until((ev) => updates(ev).length >= 11));
    expect(all.map((e) => e.data.message_id)).toEqual(ids);
    fromStart.close();
  });

  it('ends the stream when its token is revoked', async () => {
    const name = 'legacy stream token';
    const stream = await events({ authorization: `Bearer ${await t.token(name, 'read')}` });
    await stream.until((ev) => ev.length >= 1);
    await revokeApiToken(t.db, { name });
    await stream.until(() => stream.ended(), 5000).catch(() => undefined);
    expect(stream.ended()).toBe(true);
    expect(stream.events.at(-1)!.data).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' });
  });

  it('refuses a Last-Event-ID that is no event id, and starts afresh from one retention has pruned', async () => {
    const malformed = await events({ 'last-event-id': 'yesterday' });
    expect(malformed.status).toBe(400);
    expect(malformed.refusal).toMatchObject({ success: false, code: 'BAD_USER_INPUT' });
    await send({ to: 'Pruned', from: 'Desk', body: 'before pruning' });
    await t.db.query('UPDATE feed_retention SET pruned_through = (SELECT max(seq) FROM message_changes)');
    const expired = await events({ 'last-event-id': '1' });
    const [connected] = await expired.until((ev) => ev.length >= 1);
    expect(connected!.data).toMatchObject({ type: 'connected', resumed: false, cursor_expired: true });
    const later = (await send({ to: 'Pruned', from: 'Desk', body: 'after pruning' })).body.message_id;
    const got = updates(await expired.until((ev) => updates(ev).length >= 1));
    expect(got.map((e) => e.data.message_id)).toEqual([later]);
    expired.close();
  });
});
