import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundSmsParams, postSignedWebhook } from '../modules/channels/twilio-sms/signed-webhooks.ts';
import { INBOUND_PATH } from '../modules/channels/twilio-sms/webhooks.ts';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const WEBHOOK_TOKEN = 'read-state-webhooks';
const OURS = '+15005550006';
const READ = 'query($id: ID!) { conversation(id: $id) { unreadCount lastReadAt firstUnread { body } } }';
const MARK = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { conversation { id unreadCount } errors { field code } } }`;

// Read state is each reader's own: Bob opening a thread leaves Ana's badge, Ana's Mark unread is
// not undone by Bob's open window, and a program's token reads for itself.
describe.each(testDatabases())('read state per reader on the $name database', ({ open }) => {
  let t: TestApp;
  let ana: { cookie: string };
  let bob: { cookie: string };
  const as = (who: { cookie: string }) => ({ cookie: who.cookie, origin: t.url });
  beforeAll(async () => {
    t = await startTestApp(await open(), { sms: { simulatorToken: WEBHOOK_TOKEN } });
    ana = await t.operator('ana.reads@example.com', undefined, 'Ana');
    bob = await t.operator('bob.reads@example.com', undefined, 'Bob');
  });
  afterAll(() => t?.close());

  const inbound = async (from: string, body: string) => {
    const res = await postSignedWebhook({
      authToken: WEBHOOK_TOKEN,
      postUrl: `${t.url}${INBOUND_PATH}`,
      signedUrl: `${t.url}${INBOUND_PATH}`,
      params: inboundSmsParams({ from, to: OURS, body }),
    });
    expect(res.status).toBe(200);
    return conversationId(OURS, from);
  };
  const state = async (who: Record<string, string>, id: string) => (await t.gql(READ, { id }, who)).body.data.conversation;

  it("keeps each operator's unread count, line and last read time: Bob reading leaves Ana's", async () => {
    await inbound('+15556660001', 'first');
    const id = await inbound('+15556660001', 'second');
    expect(await state(as(ana), id)).toEqual({ unreadCount: 2, lastReadAt: null, firstUnread: { body: 'first' } });

    const read = await t.gql(MARK('markConversationRead'), { id }, as(bob));
    expect(read.body.data.markConversationRead).toEqual({ conversation: { id, unreadCount: 0 }, errors: [] });
    expect(await state(as(bob), id)).toMatchObject({ unreadCount: 0, lastReadAt: expect.any(String), firstUnread: null });
    expect(await state(as(ana), id)).toEqual({ unreadCount: 2, lastReadAt: null, firstUnread: { body: 'first' } });

    // A new message is unread for both, counted from where each of them is.
    await inbound('+15556660001', 'third');
    expect((await state(as(ana), id)).unreadCount).toBe(3);
    expect(await state(as(bob), id)).toMatchObject({ unreadCount: 1, firstUnread: { body: 'third' } });
    // A program's token is a reader of its own.
    expect((await state(t.headers, id)).unreadCount).toBe(3);
  });

  it("marks unread for the one who asked; a colleague's open thread does not undo it", async () => {
    const id = await inbound('+15556660002', 'please call');
    await t.gql(MARK('markConversationRead'), { id }, as(ana));
    await t.gql(MARK('markConversationRead'), { id }, as(bob));
    const unread = await t.gql(MARK('markConversationUnread'), { id }, as(ana));
    expect(unread.body.data.markConversationUnread).toEqual({ conversation: { id, unreadCount: 1 }, errors: [] });
    // Bob's window reads it again (as an open thread does on every change): Ana's stays unread.
    await t.gql(MARK('markConversationRead'), { id }, as(bob));
    expect(await state(as(ana), id)).toMatchObject({ unreadCount: 1, firstUnread: { body: 'please call' } });
    expect((await state(as(bob), id)).unreadCount).toBe(0);
    // Marking unread what is already unread changes nothing, and says so to nobody.
    const before = await t.db.query('SELECT max(id)::text AS id FROM conversation_changes');
    expect((await t.gql(MARK('markConversationUnread'), { id }, as(ana))).body.data.markConversationUnread.conversation.unreadCount).toBe(1);
    expect(await t.db.query('SELECT max(id)::text AS id FROM conversation_changes')).toEqual(before);
  });

  it('starts a new operator and a new token with what came before them read, and counts what comes after', async () => {
    const id = await inbound('+15556660003', 'before Cleo');
    const cleo = await t.operator('cleo.reads@example.com', undefined, 'Cleo');
    const program = { authorization: `Bearer ${await t.token('late reader', 'read')}` };
    expect(await state(as(cleo), id)).toEqual({ unreadCount: 0, lastReadAt: null, firstUnread: null });
    expect((await state(program, id)).unreadCount).toBe(0);
    await inbound('+15556660003', 'after Cleo');
    expect(await state(as(cleo), id)).toMatchObject({ unreadCount: 1, firstUnread: { body: 'after Cleo' } });
    expect((await state(program, id)).unreadCount).toBe(1);
    // Ana, who was there before, has both unread.
    expect((await state(as(ana), id)).unreadCount).toBe(2);
  });

  it("delivers each window its own viewer's count, live and when resuming by cursor", async () => {
    const id = await inbound('+15556660004', 'live one');
    const start = (await t.db.query<{ max: string }>('SELECT COALESCE(MAX(seq), 0)::text AS max FROM conversation_changes'))[0]!.max;
    const QUERY = 'subscription($after: String) { conversationUpdated(after: $after) { id unreadCount } }';
    const anaWindow = subscribe<{ conversationUpdated: { id: string; unreadCount: number } }>(sseClient({ url: t.url, headers: { cookie: ana.cookie } }, 'distinct'), QUERY);
    const bobWindow = subscribe<{ conversationUpdated: { id: string; unreadCount: number } }>(sseClient({ url: t.url, headers: { cookie: bob.cookie } }, 'distinct'), QUERY);
    try {
      await new Promise((r) => setTimeout(r, 300));
      await t.gql(MARK('markConversationRead'), { id }, as(bob));
      await inbound('+15556660004', 'live two');
      const mine = (events: { conversationUpdated: { id: string; unreadCount: number } }[]) => events.filter((e) => e.conversationUpdated.id === id).map((e) => e.conversationUpdated.unreadCount);
      // Bob's read reaches his window as 0, and then the new message as 1; Ana's never drop.
      expect(mine(await bobWindow.until((ev) => mine(ev).includes(1), 5000))).toEqual([0, 1]);
      expect(mine(await anaWindow.until((ev) => mine(ev).includes(2), 5000))).toEqual([1, 2]);
    } finally {
      anaWindow.dispose();
      bobWindow.dispose();
    }
    const resumed = subscribe<{ conversationUpdated: { id: string; unreadCount: number } }>(sseClient({ url: t.url, headers: { cookie: ana.cookie } }, 'distinct'), 'subscription($after: String) { conversationUpdated(after: $after) { id unreadCount } }', { after: start });
    try {
      const events = await resumed.until((ev) => ev.filter((e) => e.conversationUpdated.id === id).length >= 2, 5000);
      expect(events.filter((e) => e.conversationUpdated.id === id).every((e) => e.conversationUpdated.unreadCount >= 1)).toBe(true);
    } finally {
      resumed.dispose();
    }
  });

  it("removes a deleted operator's read state, and answers bad ids without writing", async () => {
    const gone = await t.operator('gone.reads@example.com', undefined, 'Gone');
    const id = await inbound('+15556660005', 'for Gone');
    await t.gql(MARK('markConversationRead'), { id }, as(gone));
    const [who] = await t.db.query<{ id: string }>(`SELECT id FROM operators WHERE email = 'gone.reads@example.com'`);
    expect((await t.db.query('SELECT 1 FROM conversation_reads WHERE reader_id = $1', [who!.id])).length).toBeGreaterThan(0);
    await t.db.query('DELETE FROM operators WHERE id = $1', [who!.id]);
    expect(await t.db.query('SELECT 1 FROM conversation_reads WHERE reader_id = $1', [who!.id])).toEqual([]);

    const reads = async () => t.db.query('SELECT * FROM conversation_reads ORDER BY reader_id, conversation_id');
    const before = await reads();
    for (const name of ['markConversationRead', 'markConversationUnread']) {
      expect((await t.gql(MARK(name), { id: 'nope' }, as(ana))).body.data[name].errors).toEqual([{ field: 'id', code: 'INVALID_ID' }]);
      expect((await t.gql(MARK(name), { id: '00000000-0000-0000-0000-000000000001' }, as(ana))).body.data[name].errors).toEqual([{ field: 'id', code: 'NOT_FOUND' }]);
    }
    expect(await reads()).toEqual(before);
  });
});
