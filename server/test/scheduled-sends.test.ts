import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundSmsParams, postSignedWebhook } from '../modules/channels/twilio-sms/signed-webhooks.ts';
import { INBOUND_PATH } from '../modules/channels/twilio-sms/webhooks.ts';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const WEBHOOK_TOKEN = 'scheduled-webhooks';
const OURS = '+15005550006';
const NEW_YORK = '+12125550147';
const SAN_FRANCISCO = '+14155550147';
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) {
  message { id body status }
  scheduled { id conversationId to body sendAt status sentBy { kind name } }
  errors { field code message availableAt } } }`;
const PENDING = `query($id: ID!) { conversation(id: $id) { scheduledChangedAt scheduledMessages { id body sendAt status errorCode errorMessage } } }`;
const UPDATE = `mutation($input: UpdateScheduledMessageInput!) { updateScheduledMessage(input: $input) { scheduled { id body sendAt status } errors { field code availableAt } } }`;
const CANCEL = `mutation($id: ID!) { cancelScheduledMessage(id: $id) { scheduled { status } errors { code } } }`;

/** A clock the test moves. */
function testClock(start: string) {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), set: (at: string) => void (now = new Date(at).getTime()), add: (ms: number) => void (now += ms) };
}

// 22:00 in New York, 19:00 in San Francisco, on a winter evening.
const EVENING = '2026-12-08T03:00:00.000Z';

describe.each(testDatabases())('scheduled sends and quiet hours on the $name database', ({ name: dbName, open, durable }) => {
  let t: TestApp;
  const clock = testClock(EVENING);
  const config = testConfig({ SMS_QUIET_HOURS: '21:00-08:00', HATCH_TIME_ZONE: 'UTC' });
  beforeAll(async () => {
    t = await startTestApp(await open(), { config, clock: clock.now, schedulerTimes: { everyMs: 3_600_000 }, sms: { simulatorToken: WEBHOOK_TOKEN } });
  });
  afterAll(() => t?.close());

  const send = async (input: Record<string, unknown>, headers?: Record<string, string>) => (await t.gql(SEND, { input }, headers)).body.data.sendMessage;
  const count = async (body: string) => Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE body = $1', [body]))[0]!.n);
  const pending = async (id: string) => (await t.gql(PENDING, { id })).body.data.conversation;

  it('keeps a message for later, shows it in its thread, and sends it once when due', async () => {
    clock.set(EVENING);
    const at = new Date(Date.parse(EVENING) + 3_600_000).toISOString();
    const made = await send({ to: `Later desk ${dbName}`, body: 'see you at four', sendAt: at });
    expect(made.errors).toEqual([]);
    expect(made.message).toBeNull();
    expect(made.scheduled).toMatchObject({ to: `Later desk ${dbName}`, body: 'see you at four', sendAt: at, status: 'SCHEDULED', sentBy: { kind: 'TOKEN' } });
    const thread = await pending(made.scheduled.conversationId);
    expect(thread.scheduledMessages).toEqual([expect.objectContaining({ id: made.scheduled.id, status: 'SCHEDULED' })]);
    expect(thread.scheduledChangedAt).not.toBeNull();
    expect(await count('see you at four')).toBe(0);

    // Not yet due: nothing goes.
    clock.add(3_599_000);
    expect(await t.app.sendDue()).toBe(0);
    expect(await count('see you at four')).toBe(0);
    clock.add(1_000);
    expect(await t.app.sendDue()).toBe(1);
    expect(await count('see you at four')).toBe(1);
    // Once: another round, and another replica's, find nothing.
    expect(await t.app.sendDue()).toBe(0);
    expect(await count('see you at four')).toBe(1);
    expect((await pending(made.scheduled.conversationId)).scheduledMessages).toEqual([]);
    const [row] = await t.db.query<{ status: string; message_id: string }>('SELECT status, message_id FROM scheduled_messages WHERE id = $1', [made.scheduled.id]);
    expect(row!.status).toBe('SENT');
    const [message] = await t.db.query<{ id: string; sent_by_kind: string }>('SELECT id, sent_by_kind FROM messages WHERE body = $1', ['see you at four']);
    expect(message!.id).toBe(row!.message_id);
    expect(message!.sent_by_kind).toBe('TOKEN');
  });

  it('changes and cancels a waiting message, refuses bad times and text writing nothing, and is idempotent', async () => {
    clock.set(EVENING);
    const at = new Date(Date.parse(EVENING) + 7_200_000).toISOString();
    const made = await send({ to: `Edit desk ${dbName}`, body: 'draft', sendAt: at, idempotencyKey: `edit-${dbName}` });
    expect(made.errors).toEqual([]);
    // The same request again is the same scheduled message; the key for another text is refused.
    expect((await send({ to: `Edit desk ${dbName}`, body: 'draft', sendAt: at, idempotencyKey: `edit-${dbName}` })).scheduled.id).toBe(made.scheduled.id);
    expect((await send({ to: `Edit desk ${dbName}`, body: 'other', sendAt: at, idempotencyKey: `edit-${dbName}` })).errors.map((e: any) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);

    const later = new Date(Date.parse(EVENING) + 10_800_000).toISOString();
    const changed = (await t.gql(UPDATE, { input: { id: made.scheduled.id, body: 'final text', sendAt: later } })).body.data.updateScheduledMessage;
    expect(changed).toEqual({ scheduled: { id: made.scheduled.id, body: 'final text', sendAt: later, status: 'SCHEDULED' }, errors: [] });

    const before = await t.db.query('SELECT * FROM scheduled_messages ORDER BY id');
    const bad = async (input: Record<string, unknown>) => (await t.gql(UPDATE, { input: { id: made.scheduled.id, ...input } })).body.data.updateScheduledMessage.errors.map((e: any) => e.code);
    expect(await bad({ sendAt: new Date(Date.parse(EVENING) - 60_000).toISOString() })).toEqual(['INVALID_SEND_AT']);
    expect(await bad({ sendAt: new Date(Date.parse(EVENING) + 400 * 86_400_000).toISOString() })).toEqual(['INVALID_SEND_AT']);
    expect(await bad({ body: '   ' })).toEqual(['EMPTY_BODY']);
    expect(await bad({ body: 'x'.repeat(1601) })).toEqual(['BODY_TOO_LONG']);
    expect((await t.gql(UPDATE, { input: { id: 'nope', body: 'x' } })).body.data.updateScheduledMessage.errors.map((e: any) => e.code)).toEqual(['INVALID_ID']);
    expect((await t.gql(UPDATE, { input: { id: '00000000-0000-4000-8000-000000000000', body: 'x' } })).body.data.updateScheduledMessage.errors.map((e: any) => e.code)).toEqual(['NOT_FOUND']);
    expect((await send({ to: `Edit desk ${dbName}`, body: 'past', sendAt: new Date(Date.parse(EVENING) - 1000).toISOString() })).errors.map((e: any) => e.code)).toEqual(['INVALID_SEND_AT']);
    expect(await t.db.query('SELECT * FROM scheduled_messages ORDER BY id')).toEqual(before);

    // Cancelled: never sent, gone from the thread, and cannot be cancelled or changed again.
    expect((await t.gql(CANCEL, { id: made.scheduled.id })).body.data.cancelScheduledMessage).toEqual({ scheduled: { status: 'CANCELLED' }, errors: [] });
    expect((await pending(made.scheduled.conversationId)).scheduledMessages).toEqual([]);
    clock.set(later);
    clock.add(1000);
    await t.app.sendDue();
    expect(await count('final text')).toBe(0);
    expect((await t.gql(CANCEL, { id: made.scheduled.id })).body.data.cancelScheduledMessage.errors).toEqual([{ code: 'ALREADY_SENT' }]);
    expect(await bad({ body: 'again' })).toEqual(['ALREADY_SENT']);
  });

  it('refuses an SMS in the recipient\'s quiet hours with when it may go, or schedules it then; replies to a recent message go', async () => {
    clock.set(EVENING);
    const quiet = await send({ to: NEW_YORK, body: 'late offer' });
    expect(quiet.message).toBeNull();
    expect(quiet.errors).toEqual([{ field: 'to', code: 'QUIET_HOURS', message: expect.stringContaining('America/New_York'), availableAt: '2026-12-08T13:00:00.000Z' }]);
    expect(await count('late offer')).toBe(0);
    // It is 19:00 in San Francisco: that one goes now.
    expect((await send({ to: SAN_FRANCISCO, body: 'evening offer' })).message).toMatchObject({ body: 'evening offer' });

    const deferred = await send({ to: NEW_YORK, body: 'late offer', deferIfQuiet: true });
    expect(deferred.errors).toEqual([]);
    expect(deferred.scheduled).toMatchObject({ to: NEW_YORK, sendAt: '2026-12-08T13:00:00.000Z', status: 'SCHEDULED' });
    // Scheduling for a time in quiet hours is refused the same way, and moving one there too.
    expect((await send({ to: NEW_YORK, body: 'at midnight', sendAt: '2026-12-08T05:00:00.000Z' })).errors.map((e: any) => e.code)).toEqual(['QUIET_HOURS']);
    const moved = (await t.gql(UPDATE, { input: { id: deferred.scheduled.id, sendAt: '2026-12-08T06:00:00.000Z' } })).body.data.updateScheduledMessage;
    expect(moved.errors).toEqual([{ field: 'sendAt', code: 'QUIET_HOURS', availableAt: '2026-12-08T13:00:00.000Z' }]);

    // The customer writes at 22:00 their time: the reply goes at once.
    const res = await postSignedWebhook({
      authToken: WEBHOOK_TOKEN,
      postUrl: `${t.url}${INBOUND_PATH}`,
      signedUrl: `${t.url}${INBOUND_PATH}`,
      params: inboundSmsParams({ from: NEW_YORK, to: OURS, body: 'are you open tomorrow?' }),
    });
    expect(res.status).toBe(200);
    expect((await send({ to: NEW_YORK, body: 'yes, from 9' })).message).toMatchObject({ body: 'yes, from 9' });

    // 08:00 in New York: the deferred one goes, once.
    clock.set('2026-12-08T13:00:00.000Z');
    expect(await t.app.sendDue()).toBe(1);
    expect(await count('late offer')).toBe(1);
  });

  it('runs every check again when due: a number opted out meanwhile fails it, with the reason in the thread; quiet hours move it', async () => {
    clock.set('2026-12-08T15:00:00.000Z');
    const number = dbName === 'postgres' ? '+12125550188' : '+12125550189';
    const made = await send({ to: number, body: 'weekly news', sendAt: '2026-12-08T16:00:00.000Z' });
    expect(made.errors).toEqual([]);
    await t.db.query(`INSERT INTO contacts (address, opted_out, opted_out_at, opt_out_reason) VALUES ($1, true, now(), 'STOP_REPLY') ON CONFLICT (address) DO UPDATE SET opted_out = true, opt_out_reason = 'STOP_REPLY'`, [number]);
    clock.set('2026-12-08T16:00:01.000Z');
    await t.app.sendDue();
    expect(await count('weekly news')).toBe(0);
    const [failed] = (await pending(made.scheduled.conversationId)).scheduledMessages;
    expect(failed).toMatchObject({ id: made.scheduled.id, status: 'FAILED', errorCode: 'OPTED_OUT', errorMessage: expect.stringMatching(/^Not sent: /) });
    // Dismissed by cancelling.
    expect((await t.gql(CANCEL, { id: made.scheduled.id })).body.data.cancelScheduledMessage.errors).toEqual([]);
    expect((await pending(made.scheduled.conversationId)).scheduledMessages).toEqual([]);

    // Due at 20:55 New York time, but the servers were down until 21:10: it waits for the morning.
    clock.set('2026-12-08T15:00:00.000Z');
    const evening = await send({ to: NEW_YORK, body: 'before nine', sendAt: '2026-12-09T01:55:00.000Z' });
    expect(evening.errors).toEqual([]);
    clock.set('2026-12-09T02:10:00.000Z');
    expect(await t.app.sendDue()).toBe(0);
    expect(await count('before nine')).toBe(0);
    expect((await pending(evening.scheduled.conversationId)).scheduledMessages.find((s: any) => s.id === evening.scheduled.id)).toMatchObject({ status: 'SCHEDULED', sendAt: '2026-12-09T13:00:00.000Z' });
  });

  it('sends nothing for an author who may no longer send, and lets a program change only its own', async () => {
    clock.set(EVENING);
    const boss = await t.operator(`boss.scheduled.${dbName}@example.com`, undefined, 'Boss');
    const as = { cookie: boss.cookie, origin: t.url };
    const token = (await t.gql(`mutation { createApiToken(name: "Scheduler ${dbName}", scope: SEND) { token apiToken { id } } }`, {}, as)).body.data.createApiToken;
    const bearer = { authorization: `Bearer ${token.token}` };
    const at = new Date(Date.parse(EVENING) + 600_000).toISOString();
    const mine = await send({ to: `Program desk ${dbName}`, body: 'from the program', sendAt: at }, bearer);
    expect(mine.errors).toEqual([]);
    const theirs = await send({ to: `Program desk ${dbName}`, body: 'from the boss', sendAt: at }, as);
    const edit = async (id: string) => (await t.gql(UPDATE, { input: { id, body: 'changed' } }, bearer)).body.data.updateScheduledMessage.errors.map((e: any) => e.code);
    expect(await edit(theirs.scheduled.id)).toEqual(['NOT_FOUND']);
    expect(await edit(mine.scheduled.id)).toEqual([]);
    // Revoked before it was due: it fails rather than sending as a token nobody trusts now.
    expect((await t.gql(`mutation($id: ID!) { revokeApiToken(id: $id) { errors { code } } }`, { id: token.apiToken.id }, as)).body.data.revokeApiToken.errors).toEqual([]);
    clock.add(601_000);
    await t.app.sendDue();
    expect(await count('changed')).toBe(0);
    expect(await count('from the boss')).toBe(1);
    const [row] = await t.db.query<{ status: string; error_code: string }>('SELECT status, error_code FROM scheduled_messages WHERE id = $1', [mine.scheduled.id]);
    expect(row).toEqual({ status: 'FAILED', error_code: 'AUTHOR_REVOKED' });
  });

  it('sends what came due while every server was down, once, after the restart', async () => {
    const store = await durable();
    const restartClock = testClock(EVENING);
    let app = await startTestApp(await store.connect(), { config, clock: restartClock.now, schedulerTimes: { everyMs: 3_600_000 } });
    try {
      const made = (await app.gql(SEND, { input: { to: 'Restart desk', body: 'after the restart', sendAt: new Date(Date.parse(EVENING) + 60_000).toISOString() } })).body.data.sendMessage;
      expect(made.errors).toEqual([]);
      await app.close();
      restartClock.add(3_600_000);
      app = await startTestApp(await store.connect(), { config, clock: restartClock.now, schedulerTimes: { everyMs: 3_600_000 } });
      await app.app.sendDue();
      await app.app.sendDue();
      expect(Number((await app.db.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE body = 'after the restart'`))[0]!.n)).toBe(1);
    } finally {
      await app.close();
      await store.drop();
    }
  });

  it.runIf(dbName === 'postgres')('sends each due message once with two replicas racing for them', async () => {
    const store = await durable();
    const raceClock = testClock(EVENING);
    const deps = { config, clock: raceClock.now, schedulerTimes: { everyMs: 3_600_000 } };
    const one = await startTestApp(await store.connect(), deps);
    const two = await startTestApp(await store.connect(), deps);
    try {
      const at = new Date(Date.parse(EVENING) + 60_000).toISOString();
      for (let i = 0; i < 40; i++) {
        const made = (await (i % 2 ? one : two).gql(SEND, { input: { to: i % 4 < 2 ? SAN_FRANCISCO : `Race desk ${i % 3}`, body: `race ${i}`, sendAt: at } })).body.data.sendMessage;
        expect(made.errors).toEqual([]);
      }
      raceClock.add(120_000);
      const [a, b] = await Promise.all([one.app.sendDue(), two.app.sendDue()]);
      expect(a + b).toBe(40);
      const rows = await one.db.query<{ body: string; n: number }>(`SELECT body, count(*)::int AS n FROM messages WHERE body LIKE 'race %' GROUP BY body`);
      expect(rows).toHaveLength(40);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      // One outbox row per SMS: the provider is asked once for each.
      const outbox = await one.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE body LIKE 'race %' AND channel = 'SMS'`);
      expect(outbox[0]!.n).toBe(20);
    } finally {
      await one.close();
      await two.close();
      await store.drop();
    }
  });
});
