import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const NUMBER = '+15553010001';
const DIGITS = '5553010001';
const SEND = `mutation($to: String!, $body: String!) { sendMessage(input: { to: $to, body: $body }) { message { id conversationId } errors { code } } }`;
const UPDATES = `subscription($after: String) { messageUpdated(after: $after) { cursor messageId action message { body } } }`;

/** Every value of every table (and the change feed's copies), as text, where `needle` appears. */
async function holding(t: TestApp, needle: string): Promise<string[]> {
  const tables = await t.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const found: string[] = [];
  for (const { table_name } of tables) {
    const rows = await t.db.query<{ r: string }>(`SELECT t::text AS r FROM "${table_name}" t WHERE strpos(t::text, $1) > 0`, [needle]);
    found.push(...rows.map((r) => `${table_name}: ${r.r.slice(0, 200)}`));
  }
  return found;
}

// "Forget me": a contact's erasure leaves no row that holds what they said or who they are.
describe.each(testDatabases())('erasing a contact on the $name database', ({ open }) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(await open());
    const ana = await t.operator('ana.erasure@example.com', undefined, 'Ana');
    admin = { cookie: ana.cookie, origin: t.url };
  });
  afterAll(() => t?.close());

  it('deletes their conversations, messages, notes and feed copies; tells subscribers without content; keeps everyone else', async () => {
    await t.gql('mutation { updateContact(input: { address: "(555) 301-0001", name: "Erin Erasable", notes: "SECRET-CONTACT-NOTE" }) { errors { code } } }');
    // A webhook queues copies of the messages too (this one never reaches its receiver: they wait).
    const hook = await t.gql('mutation { createWebhookEndpoint(input: { url: "https://hooks.invalid/x", events: [MESSAGE_CREATED, MESSAGE_STATUS_CHANGED] }) { errors { code } } }', {}, admin);
    expect(hook.body.data.createWebhookEndpoint.errors).toEqual([]);
    const first = (await t.gql(SEND, { to: NUMBER, body: 'SECRET-BODY-one' })).body.data.sendMessage.message;
    await t.gql(SEND, { to: NUMBER, body: 'SECRET-BODY-two' });
    await t.db.query(
      `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) VALUES ($1, $2, $3, 'SECRET-BODY-inbound', 'INBOUND', 'SMS', 'RECEIVED')`,
      [first.conversationId, NUMBER, '+15005550006'],
    );
    await t.gql('mutation($c: ID!) { addNote(input: { conversationId: $c, body: "SECRET-NOTE-text" }) { errors { code } } }', { c: first.conversationId }, admin);
    const other = (await t.gql(SEND, { to: '+15553019999', body: 'someone else entirely' })).body.data.sendMessage.message;
    await new Promise((r) => setTimeout(r, 300)); // the sends' statuses settle
    for (let i = 0; i < 100 && (await holding(t, 'SECRET-BODY-two')).every((w) => !w.startsWith('webhook_deliveries')); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await holding(t, 'SECRET-BODY-two')).some((w) => w.startsWith('webhook_deliveries'))).toBe(true);

    // The confirmation's figures.
    const preview = await t.gql('query($a: String!) { erasurePreview(address: $a) { conversations messages notes } }', { a: '555-301-0001' }, admin);
    expect(preview.body.data.erasurePreview).toEqual({ conversations: 1, messages: 3, notes: 1 });

    const live = subscribe(sseClient({ url: t.url, headers: t.headers }, 'distinct'), UPDATES);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const erased = await t.gql('mutation($a: String!) { eraseContact(address: $a) { erased { conversations messages notes } errors { code } } }', { a: '(555) 301-0001' }, admin);
      expect(erased.body.data.eraseContact).toEqual({ erased: { conversations: 1, messages: 3, notes: 1 }, errors: [] });
      const events = await live.until((e) => e.filter((x) => x.messageUpdated.action === 'DELETE').length >= 3);
      const deletes = events.map((e) => e.messageUpdated).filter((u) => u.action === 'DELETE');
      expect(deletes).toHaveLength(3);
      expect(deletes.every((u) => u.message === null)).toBe(true);
    } finally {
      live.dispose();
    }

    // Nowhere: not what they said, not their notes, not their number or name.
    for (const needle of ['SECRET-', DIGITS, 'Erin Erasable']) expect(await holding(t, needle), needle).toEqual([]);
    // A client resuming from before hears only that the messages went.
    const replay = subscribe(sseClient({ url: t.url, headers: t.headers }, 'distinct'), UPDATES, { after: '0' });
    try {
      await replay.until((e) => e.some((x) => x.messageUpdated.messageId === other.id), 5000);
      const about = replay.events.map((e) => e.data.messageUpdated).filter((u) => u.message?.body?.startsWith('SECRET'));
      expect(about).toEqual([]);
    } finally {
      replay.dispose();
    }
    expect((await t.gql('query($id: ID!) { conversation(id: $id) { id } }', { id: first.conversationId })).body.data.conversation).toBeNull();
    // Everyone else is untouched.
    expect((await t.gql('query($id: ID!) { conversation(id: $id) { messages(last: 5) { edges { node { body } } } } }', { id: other.conversationId })).body.data.conversation.messages.edges).toHaveLength(1);

    // The audit log says who erased how much, and not whom.
    const log = (await t.gql('{ auditLog(first: 5) { edges { node { action actorName targetName } } } }', {}, admin)).body.data.auditLog.edges[0].node;
    expect(log).toEqual({ action: 'CONTACT_ERASED', actorName: 'Ana', targetName: '1 conversation(s), 3 message(s), 1 note(s)' });
  });

  it('keeps an opted-out number opted out, forgetting its name', async () => {
    await t.gql('mutation { updateContact(input: { address: "+15553010002", name: "Stop Sayer" }) { errors { code } } }');
    await t.gql(SEND, { to: '+15553010002', body: 'before STOP' });
    await t.db.query(`UPDATE contacts SET opted_out = true, opted_out_at = now(), opt_out_reason = 'STOP_REPLY' WHERE address = '+15553010002'`);
    const erased = await t.gql('mutation { eraseContact(address: "+15553010002") { erased { messages } errors { code } } }', {}, admin);
    expect(erased.body.data.eraseContact.erased.messages).toBe(1);
    expect(await holding(t, 'Stop Sayer')).toEqual([]);
    const again = (await t.gql(SEND, { to: '+15553010002', body: 'after erasure' })).body.data.sendMessage;
    expect(again.errors).toEqual([{ code: 'OPTED_OUT' }]);
  });

  it('erases every address of a person, and the merge that joined them', async () => {
    await t.gql('mutation { updateContact(input: { address: "+15553010004", name: "Two Numbers", notes: "NOTE-of-two" }) { errors { code } } }');
    await t.gql(SEND, { to: '+15553010004', body: 'MOBILE-body' });
    await t.gql(SEND, { to: '+15553010005', body: 'OFFICE-body' });
    const merged = await t.gql('mutation { mergeContacts(input: { into: "+15553010004", address: "+15553010005" }) { undoId errors { code } } }');
    expect(merged.body.data.mergeContacts.errors).toEqual([]);
    const preview = await t.gql('query { erasurePreview(address: "+15553010005") { conversations messages } }', {}, admin);
    expect(preview.body.data.erasurePreview).toEqual({ conversations: 2, messages: 2 });
    const erased = await t.gql('mutation { eraseContact(address: "+15553010005") { erased { conversations messages } errors { code } } }', {}, admin);
    expect(erased.body.data.eraseContact).toEqual({ erased: { conversations: 2, messages: 2 }, errors: [] });
    for (const needle of ['MOBILE-body', 'OFFICE-body', 'Two Numbers', 'NOTE-of-two', '5553010004', '5553010005']) expect(await holding(t, needle), needle).toEqual([]);
    // Nothing is left to undo: the merge went with them.
    const undo = await t.gql('mutation($id: ID!) { undoContactMerge(id: $id) { errors { code } } }', { id: merged.body.data.mergeContacts.undoId });
    expect(undo.body.data.undoContactMerge.errors).toEqual([{ code: 'UNDO_NOT_AVAILABLE' }]);
  });

  it('refuses agents, programs and an address it cannot read, erasing nothing', async () => {
    await t.gql(SEND, { to: '+15553010003', body: 'still here' });
    const agent = await t.operator('agent.erasure@example.com', undefined, 'Agent', 'AGENT');
    const erase = 'mutation($a: String!) { eraseContact(address: $a) { errors { code } } }';
    expect((await t.gql(erase, { a: '+15553010003' }, { cookie: agent.cookie, origin: t.url })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(erase, { a: '+15553010003' })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(erase, { a: '555-12' }, admin)).body.data.eraseContact.errors).toEqual([{ code: 'INVALID_ADDRESS' }]);
    expect((await t.gql(erase, { a: '   ' }, admin)).body.data.eraseContact.errors).toEqual([{ code: 'INVALID_ADDRESS' }]);
    expect(await holding(t, 'still here')).not.toEqual([]);
  });
});
