import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundSmsParams, postSignedWebhook } from '../modules/channels/twilio-sms/signed-webhooks.ts';
import { INBOUND_PATH } from '../modules/channels/twilio-sms/webhooks.ts';
import { testDatabases, type DurableDatabase } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

const WEBHOOK_TOKEN = 'snooze-webhooks';
const OURS = '+15005550006';
const SNOOZE = 'mutation($id: ID!, $until: DateTime) { snoozeConversation(id: $id, until: $until) { conversation { id snoozedUntil snoozeWokeAt } errors { field code } } }';
const LIST = 'query($f: ConversationFilter) { conversations(first: 50, filter: $f) { edges { node { id snoozedUntil snoozeWokeAt } } } }';
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe.each(testDatabases())('snoozing conversations on the $name database', ({ name, open, durable }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { sms: { simulatorToken: WEBHOOK_TOKEN }, snoozeCheckMs: 200 });
  });
  afterAll(() => t?.close());

  const conversation = async (to: string) =>
    (await t.gql('mutation($to: String!){ sendMessage(input: { to: $to, body: "hello" }) { message { conversationId } } }', { to })).body.data.sendMessage.message.conversationId as string;
  const listed = async (f: string) => (await t.gql(LIST, { f })).body.data.conversations.edges.map((e: { node: { id: string } }) => e.node.id) as string[];

  it('takes it out of Open until the time, lists it under Snoozed, and brings it back on top with its marker, live', async () => {
    const sleepy = await conversation('Sleepy Snooze');
    const other = await conversation('Awake Snooze');
    const until = inSeconds(1.5);
    const window = subscribe<{ conversationUpdated: { id: string; snoozeWokeAt: string | null } }>(sseClient(t, 'distinct'), 'subscription { conversationUpdated { id snoozeWokeAt } }');
    try {
      await new Promise((r) => setTimeout(r, 300));
      const snoozed = (await t.gql(SNOOZE, { id: sleepy, until })).body.data.snoozeConversation;
      expect(snoozed).toEqual({ conversation: { id: sleepy, snoozedUntil: until, snoozeWokeAt: null }, errors: [] });
      expect(await listed('OPEN')).not.toContain(sleepy);
      expect(await listed('SNOOZED')).toEqual([sleepy]);
      expect(await listed('ALL')).toContain(sleepy);
      expect((await listed('OPEN'))[0]).toBe(other);

      // When the time comes it is back, first in Open, marked, and every window heard of it.
      await window.until((ev) => ev.some((e) => e.conversationUpdated.id === sleepy && e.conversationUpdated.snoozeWokeAt !== null), 6000);
      const open = (await t.gql(LIST, { f: 'OPEN' })).body.data.conversations.edges.map((e: { node: unknown }) => e.node);
      expect(open[0]).toMatchObject({ id: sleepy, snoozedUntil: until, snoozeWokeAt: expect.any(String) });
      expect(await listed('SNOOZED')).toEqual([]);
    } finally {
      window.dispose();
    }
  });

  it('ends a snooze when the contact writes, or by hand', async () => {
    await t.gql('mutation { sendMessage(input: { to: "+15557990001", body: "we will call" }) { errors { code } } }');
    const [{ id }] = (await t.gql('{ conversations(search: "+15557990001") { edges { node { id } } } }')).body.data.conversations.edges.map((e: { node: { id: string } }) => e.node);
    await t.gql(SNOOZE, { id, until: inSeconds(3600) });
    expect(await listed('OPEN')).not.toContain(id);
    const res = await postSignedWebhook({ authToken: WEBHOOK_TOKEN, postUrl: `${t.url}${INBOUND_PATH}`, signedUrl: `${t.url}${INBOUND_PATH}`, params: inboundSmsParams({ from: '+15557990001', to: OURS, body: 'Actually, now please' }) });
    expect(res.status).toBe(200);
    expect(await listed('OPEN')).toContain(id);
    expect((await t.gql(LIST, { f: 'OPEN' })).body.data.conversations.edges.find((e: { node: { id: string } }) => e.node.id === id).node.snoozedUntil).toBeNull();

    const byHand = await conversation('Unsnooze Me');
    await t.gql(SNOOZE, { id: byHand, until: inSeconds(3600) });
    expect((await t.gql(SNOOZE, { id: byHand, until: null })).body.data.snoozeConversation.conversation).toEqual({ id: byHand, snoozedUntil: null, snoozeWokeAt: null });
    expect(await listed('OPEN')).toContain(byHand);
  });

  it('answers a time in the past, a year away, a bad or unknown id and a read token without writing', async () => {
    const id = await conversation('Bad Snooze');
    const state = () => t.db.query('SELECT id, snoozed_until, snooze_woke_at, updated_at FROM conversations ORDER BY id');
    const before = await state();
    const errorOf = async (vars: Record<string, unknown>, headers?: Record<string, string>) => (await t.gql(SNOOZE, vars, headers)).body;
    expect((await errorOf({ id, until: inSeconds(-60) })).data.snoozeConversation.errors).toEqual([{ field: 'until', code: 'INVALID_SNOOZE' }]);
    expect((await errorOf({ id, until: inSeconds(367 * 24 * 3600) })).data.snoozeConversation.errors).toEqual([{ field: 'until', code: 'INVALID_SNOOZE' }]);
    expect((await errorOf({ id: 'nope', until: inSeconds(60) })).data.snoozeConversation.errors).toEqual([{ field: 'id', code: 'INVALID_ID' }]);
    expect((await errorOf({ id: '00000000-0000-0000-0000-000000000001', until: inSeconds(60) })).data.snoozeConversation.errors).toEqual([{ field: 'id', code: 'NOT_FOUND' }]);
    expect((await errorOf({ id, until: 'tomorrow' })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const reader = { authorization: `Bearer ${await t.token('snooze reader', 'read')}` };
    expect((await errorOf({ id, until: inSeconds(60) }, reader)).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await state()).toEqual(before);
  });

  it('wakes once with two replicas, and wakes what came due while every server was down', async () => {
    const store: DurableDatabase = await durable();
    try {
      let first: TestApp | undefined = await startTestApp(await store.connect(), { snoozeCheckMs: 100 });
      const id = (await first.gql('mutation { sendMessage(input: { to: "Twin Snooze", body: "hi" }) { message { conversationId } } }')).body.data.sendMessage.message.conversationId;
      const down = (await first.gql('mutation { sendMessage(input: { to: "Down Snooze", body: "hi" }) { message { conversationId } } }')).body.data.sendMessage.message.conversationId;
      await first.gql(SNOOZE, { id, until: inSeconds(1.2) });
      const wakes = async (conversationId: string) =>
        (await first!.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversation_changes WHERE conversation_id = $1 AND "row"->>'snooze_woke_at' IS NOT NULL`, [conversationId]))[0]!.n;
      // Two servers on one database: Postgres (the embedded database has one server at a time).
      if (name === 'postgres') {
        const second = await startTestApp(await store.connect(), { snoozeCheckMs: 100 });
        try {
          await eventually(async () => (await wakes(id)) > 0, 6000, 'woken');
          await new Promise((r) => setTimeout(r, 500));
          expect(await wakes(id)).toBe(1);
        } finally {
          await second.close();
        }
      }
      // Snoozed until a moment from now, then every server stops; the next start wakes it.
      await first.gql(SNOOZE, { id: down, until: inSeconds(0.5) });
      await first.close();
      first = undefined;
      await new Promise((r) => setTimeout(r, 800));
      const again = await startTestApp(await store.connect(), { snoozeCheckMs: 60_000 });
      try {
        await eventually(async () => (await again.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE id = $1 AND snooze_woke_at IS NOT NULL', [down]))[0]!.n === 1, 5000, 'woken at start');
      } finally {
        await again.close();
      }
    } finally {
      await store.drop();
    }
  });
});
