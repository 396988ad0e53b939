import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { signTwilioRequest } from '../testing/twilio-standin.ts';

const WEBHOOK_TOKEN = 'states-webhooks';
const OURS = '+15005550006';
const STATE = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { conversation { id done doneAt unreadCount } errors { field code } } }`;
const LIST = `query($filter: ConversationFilter) { conversations(first: 50, filter: $filter) { edges { node { id } } } }`;
const UNREAD = `query($id: ID!) { conversation(id: $id) { unreadCount firstUnread { body } } }`;

describe.each(testDatabases())('done, open and unread, on the $name database', ({ open }) => {
  let t: TestApp;
  let sid = 0;
  beforeAll(async () => {
    t = await startTestApp(await open(), { sms: { simulatorToken: WEBHOOK_TOKEN } });
  });
  afterAll(() => t?.close());

  const inbound = async (from: string, body: string) => {
    const params = { MessageSid: `SM${String(++sid).padStart(32, '0')}`, From: from, To: OURS, Body: body };
    const url = `${t.url}/twilio/inbound`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(WEBHOOK_TOKEN, url, params) },
      body: new URLSearchParams(params),
    });
    expect(res.status).toBe(200);
  };
  const mark = async (name: string, id: string, headers?: Record<string, string>) => (await t.gql(STATE(name), { id }, headers)).body;
  const ids = async (filter?: string) => (await t.gql(LIST, { filter })).body.data.conversations.edges.map((e: { node: { id: string } }) => e.node.id);
  const state = async () =>
    t.db.query(
      `SELECT c.id, c.done_at, c.inbound_count, (SELECT json_agg(json_build_array(r.reader_id, r.read_count, r.last_read_at) ORDER BY r.reader_id) FROM conversation_reads r WHERE r.conversation_id = c.id) AS reads
         FROM conversations c ORDER BY c.id`,
    );

  it('marks a conversation done, lists it under DONE only, and opens it again when the contact writes', async () => {
    await inbound('+15557771001', 'Hello');
    await inbound('+15557771002', 'Hi there');
    const id = conversationId(OURS, '+15557771001');
    const other = conversationId(OURS, '+15557771002');
    const done = (await mark('markConversationDone', id)).data.markConversationDone;
    expect(done).toMatchObject({ conversation: { id, done: true, doneAt: expect.any(String) }, errors: [] });
    expect(await ids('OPEN')).toEqual([other]);
    expect(await ids('DONE')).toEqual([id]);
    expect((await ids('ALL')).sort()).toEqual([id, other].sort());
    expect((await ids()).sort()).toEqual([id, other].sort()); // ALL by default, as before

    // Done twice is still done, with the first time kept.
    const again = (await mark('markConversationDone', id)).data.markConversationDone.conversation;
    expect(again.doneAt).toBe(done.conversation.doneAt);

    await inbound('+15557771001', 'One more thing');
    expect(await ids('OPEN')).toContain(id);
    expect(await ids('DONE')).toEqual([]);
  });

  it('opens a done conversation by hand too', async () => {
    const id = conversationId(OURS, '+15557771002');
    await mark('markConversationDone', id);
    expect((await mark('markConversationOpen', id)).data.markConversationOpen.conversation).toMatchObject({ done: false, doneAt: null });
    expect(await ids('OPEN')).toContain(id);
  });

  it('says where the unread messages start, and marks the newest one unread again', async () => {
    const id = conversationId(OURS, '+15557771003');
    for (const body of ['one', 'two', 'three', 'four']) await inbound('+15557771003', body);
    await t.gql(`mutation { sendMessage(input: { to: "+15557771003", body: "our reply" }) { errors { code } } }`);
    expect((await t.gql(UNREAD, { id })).body.data.conversation).toEqual({ unreadCount: 4, firstUnread: { body: 'one' } });
    await t.gql(`mutation($id: ID!) { markConversationRead(id: $id) { errors { code } } }`, { id });
    await inbound('+15557771003', 'five');
    await inbound('+15557771003', 'six');
    expect((await t.gql(UNREAD, { id })).body.data.conversation).toEqual({ unreadCount: 2, firstUnread: { body: 'five' } });
    await t.gql(`mutation($id: ID!) { markConversationRead(id: $id) { errors { code } } }`, { id });
    expect((await t.gql(UNREAD, { id })).body.data.conversation).toEqual({ unreadCount: 0, firstUnread: null });

    expect((await mark('markConversationUnread', id)).data.markConversationUnread.conversation.unreadCount).toBe(1);
    expect((await t.gql(UNREAD, { id })).body.data.conversation).toEqual({ unreadCount: 1, firstUnread: { body: 'six' } });
  });

  it('answers a bad or unknown id with INVALID_ID / NOT_FOUND and changes nothing', async () => {
    const before = await state();
    for (const name of ['markConversationDone', 'markConversationOpen', 'markConversationUnread']) {
      expect((await mark(name, 'nope')).data[name]).toEqual({ conversation: null, errors: [{ field: 'id', code: 'INVALID_ID' }] });
      expect((await mark(name, '00000000-0000-0000-0000-000000000000')).data[name]).toEqual({ conversation: null, errors: [{ field: 'id', code: 'NOT_FOUND' }] });
    }
    expect(await state()).toEqual(before);
  });

  it('is refused (FORBIDDEN) for a read token, and works for a send token', async () => {
    const id = conversationId(OURS, '+15557771002');
    const reader = { authorization: `Bearer ${await t.token('states reader', 'read')}` };
    const before = await state();
    for (const name of ['markConversationDone', 'markConversationOpen', 'markConversationUnread']) {
      expect((await mark(name, id, reader)).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect(await state()).toEqual(before);
    const sender = { authorization: `Bearer ${await t.token('states sender', 'send')}` };
    expect((await mark('markConversationDone', id, sender)).data.markConversationDone.errors).toEqual([]);
    await mark('markConversationOpen', id, sender);
  });

  it('tells every window: done, open and unread arrive through conversationUpdated', async () => {
    const id = conversationId(OURS, '+15557771002');
    const client = sseClient(t, 'single');
    const sub = subscribe<{ conversationUpdated: { id: string; done: boolean; unreadCount: number } }>(client, 'subscription { conversationUpdated { id done unreadCount } }');
    try {
      await new Promise((r) => setTimeout(r, 300));
      // One change at a time, each heard before the next: a reader's own count is read when an
      // event is delivered, so an event still queued behind a later change would show that one.
      const heard = (e: { conversationUpdated: { id: string } }[]) => e.filter((x) => x.conversationUpdated.id === id).length;
      for (const [i, change] of (['markConversationRead', 'markConversationDone', 'markConversationUnread', 'markConversationOpen'] as const).entries()) {
        await mark(change, id);
        await sub.until((e) => heard(e) >= i + 1);
      }
      const events = await sub.until((e) => heard(e) >= 4);
      expect(events.filter((x) => x.conversationUpdated.id === id).slice(-3).map((x) => x.conversationUpdated)).toEqual([
        { id, done: true, unreadCount: 0 },
        { id, done: true, unreadCount: 1 },
        { id, done: false, unreadCount: 1 },
      ]);
    } finally {
      sub.dispose();
      client.dispose();
    }
  });
});
