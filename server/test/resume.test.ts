import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { FeedRetention } from '../modules/realtime/retention.ts';
import { silentLog, testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe, type SseMode } from '../testing/sse.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

const UPDATES = `subscription($after: String, $c: ID) { messageUpdated(after: $after, conversationId: $c) { cursor messageId action } }`;
const CONVERSATIONS = `subscription($after: String) { conversationUpdated(after: $after) { id cursor unreadCount } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id conversationId } errors { code } } }`;

interface Update {
  messageUpdated: { cursor: string; messageId: string; action: string };
}

describe.each(testDatabases())('resuming by cursor on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  const send = async (to: string, body: string) => (await t.gql(SEND, { input: { to, body } })).body.data.sendMessage.message as { id: string; conversationId: string };
  const newest = async () => (await t.db.query<{ max: string }>('SELECT COALESCE(MAX(seq), 0)::text AS max FROM message_changes'))[0]!.max;

  for (const mode of ['distinct', 'single'] as const satisfies SseMode[]) {
    it(`misses nothing and repeats nothing when a subscriber leaves at message 80 of 200 and resumes (${mode})`, async () => {
      const start = await newest();
      const first = subscribe<Update>(sseClient(t, mode), UPDATES, { after: start });
      const ids: string[] = [];
      const writer = (async () => {
        for (let i = 0; i < 200; i++) ids.push((await send(`Resume ${mode} ${i % 5}`, `m${i}`)).id);
      })();
      const seenBefore = (await first.until((ev) => ev.length >= 80, 20_000)).slice(0, 80);
      first.dispose();
      const resumed = subscribe<Update>(sseClient(t, mode), UPDATES, { after: seenBefore.at(-1)!.messageUpdated.cursor });
      await writer;
      const all = [...seenBefore, ...(await resumed.until((ev) => seenBefore.length + ev.length >= 200, 20_000))];
      resumed.dispose();
      const cursors = all.map((e) => BigInt(e.messageUpdated.cursor));
      expect(all.map((e) => e.messageUpdated.messageId)).toEqual(ids);
      for (let i = 1; i < cursors.length; i++) expect(cursors[i]! > cursors[i - 1]!).toBe(true);
    });
  }

  it('replays one conversation only, when asked for one', async () => {
    const start = await newest();
    const a = await send('Only me', 'a1');
    await send('Someone else', 'b1');
    await send('Only me', 'a2');
    const sub = subscribe<Update>(sseClient(t, 'distinct'), UPDATES, { after: start, c: a.conversationId });
    const got = await sub.until((ev) => ev.length >= 2, 5000);
    expect(got.every((e) => e.messageUpdated.action === 'INSERT')).toBe(true);
    const rows = await t.db.query<{ conversation_id: string }>('SELECT conversation_id FROM message_changes WHERE seq > $1', [start]);
    expect(rows.filter((r) => r.conversation_id === a.conversationId)).toHaveLength(2);
    sub.dispose();
  });

  it('resumes conversation changes too, so read state missed while away arrives', async () => {
    const guest = await send('Read state', 'hello');
    const id = guest.conversationId;
    const live = subscribe<{ conversationUpdated: { id: string; cursor: string; unreadCount: number } }>(sseClient(t, 'single'), CONVERSATIONS);
    // Inbound messages until the subscription, once live, hears of one.
    const seen = await eventually(async () => {
      await t.db.query(`INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) VALUES ($1, 'Read state', 'Operator', 'in', 'INBOUND', 'INTERNAL', 'STORED')`, [id]);
      return live.until((ev) => ev.some((e) => e.conversationUpdated.id === id && e.conversationUpdated.unreadCount > 0), 300).catch(() => undefined);
    }, 5000, 'the subscription to hear of an inbound message');
    const cursor = seen.at(-1)!.conversationUpdated.cursor;
    expect(cursor).toMatch(/^\d+$/);
    live.dispose();
    // While nobody listens, the conversation is read in another window.
    await t.gql('mutation($id: ID!) { markConversationRead(id: $id) { errors { code } } }', { id });
    const back = subscribe<{ conversationUpdated: { id: string; cursor: string; unreadCount: number } }>(sseClient(t, 'single'), CONVERSATIONS, { after: cursor });
    const caught = await back.until((ev) => ev.some((e) => e.conversationUpdated.id === id && e.conversationUpdated.unreadCount === 0), 5000);
    expect(caught.every((e) => BigInt(e.conversationUpdated.cursor) > BigInt(cursor))).toBe(true);
    back.dispose();
  });

  it('says CURSOR_EXPIRED for a cursor retention has pruned past, and BAD_USER_INPUT for one that is no cursor', async () => {
    const old = await send('Retention', 'old news');
    const [{ seq }] = (await t.db.query<{ seq: string }>('SELECT seq::text FROM message_changes WHERE message_id = $1', [old.id])) as [{ seq: string }];
    await t.db.query(`UPDATE message_changes SET occurred_at = now() - interval '8 days' WHERE seq <= $1`, [seq]);
    await t.db.query(`UPDATE conversation_changes SET occurred_at = now() - interval '8 days' WHERE seq <= $1`, [seq]);
    const pruned = await new FeedRetention(t.db, 7 * 86_400_000, silentLog).prune();
    expect(pruned).toBeGreaterThan(0);
    expect(await t.db.query('SELECT 1 FROM message_changes WHERE seq <= $1', [seq])).toEqual([]);
    const through = (await t.db.query<{ p: string }>('SELECT pruned_through::text AS p FROM feed_retention'))[0]!.p;
    expect(BigInt(through)).toBeGreaterThanOrEqual(BigInt(seq));

    const expired = subscribe<Update>(sseClient(t, 'distinct'), UPDATES, { after: '1' });
    await expect(expired.until(() => false, 3000)).rejects.toThrow(/CURSOR_EXPIRED/);
    const malformed = subscribe<Update>(sseClient(t, 'single'), UPDATES, { after: 'yesterday' });
    await expect(malformed.until(() => false, 3000)).rejects.toThrow(/BAD_USER_INPUT|not a cursor/);
    // From the pruning point on, resuming works.
    const fine = subscribe<Update>(sseClient(t, 'distinct'), UPDATES, { after: through });
    const later = await send('Retention', 'new news');
    await fine.until((ev) => ev.some((e) => e.messageUpdated.messageId === later.id), 5000);
    fine.dispose();
  });

  it('keeps every change of a long replay while writes go on, with no gap or duplicate at the seam', async () => {
    const start = await newest();
    const id = conversationId('Alice', 'Bob');
    await t.db.query(`INSERT INTO conversations (id, participant_a, participant_b, ours) VALUES ($1, 'Alice', 'Bob', 'Alice') ON CONFLICT DO NOTHING`, [id]);
    await t.db.query(
      `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status)
       SELECT $1, 'Alice', 'Bob', 'bulk ' || i, 'OUTBOUND', 'INTERNAL', 'STORED' FROM generate_series(1, 1200) i`,
      [id],
    );
    const sub = subscribe<Update>(sseClient(t, 'single'), UPDATES, { after: start });
    const writes = (async () => {
      for (let i = 0; i < 60; i++) await send('Seam', `seam ${i}`);
    })();
    await writes;
    const expected = (await t.db.query<{ seq: string }>('SELECT seq::text FROM message_changes WHERE seq > $1 ORDER BY message_changes.seq', [start])).map((r) => r.seq);
    const got = await sub.until((ev) => ev.length >= expected.length, 20_000);
    expect(got.map((e) => e.messageUpdated.cursor)).toEqual(expected);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.events).toHaveLength(expected.length);
    sub.dispose();
  });

  it('leaves nothing listening once every subscription above has ended', async () => {
    const listeners = async () => Number(/^hatch_feed_listeners (\d+)$/m.exec(await (await fetch(`${t.url}/metrics`, { headers: t.headers })).text())![1]);
    await expect.poll(listeners, { timeout: 5000 }).toBe(0);
  });
});
