import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';
import { signTwilioRequest } from '../testing/twilio-standin.ts';

const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id status errorMessage } errors { field code message } } }`;
const UPDATE = `mutation($input: UpdateContactInput!) { updateContact(input: $input) {
  contact { address name notes display displayName optedOut optOutReason optOutNote } errors { field code message } } }`;
const CONTACT = `query($id: ID!) { conversation(id: $id) { contact { address name notes displayName optedOut optOutReason optOutNote } participantContacts { displayName } } }`;
const WEBHOOK_TOKEN = 'contacts-webhooks';
const OURS = '+15005550006';

describe.each(testDatabases())('contacts with names, and why a number is opted out, on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { sms: { simulatorToken: WEBHOOK_TOKEN } });
  });
  afterAll(() => t?.close());

  const send = async (input: Record<string, unknown>) => (await t.gql(SEND, { input })).body.data.sendMessage;
  const update = async (input: Record<string, unknown>, headers?: Record<string, string>) => (await t.gql(UPDATE, { input }, headers)).body;
  const contactOf = async (id: string) => (await t.gql(CONTACT, { id })).body.data.conversation.contact;
  const contactRows = async () => t.db.query('SELECT * FROM contacts ORDER BY address');
  const webhook = (path: string, params: Record<string, string>) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(WEBHOOK_TOKEN, `${t.url}${path}`, params) },
      body: new URLSearchParams(params),
    });
  const statusOf = async (id: string) => (await t.db.query<{ status: string }>('SELECT status FROM messages WHERE id = $1', [id]))[0]?.status;

  it('names a number typed as people type it, stored E.164, shown everywhere with the number formatted', async () => {
    await send({ to: '+15557770101', body: 'Your room is ready' });
    const id = conversationId(OURS, '+15557770101');
    expect(await contactOf(id)).toMatchObject({ address: '+15557770101', name: null, displayName: '+1 555-777-0101' });

    const { data } = await update({ address: '(555) 777-0101', name: '  Dana Scully ', notes: 'Room 12, late checkout' });
    expect(data.updateContact).toEqual({
      contact: {
        address: '+15557770101',
        name: 'Dana Scully',
        notes: 'Room 12, late checkout',
        display: '+1 555-777-0101',
        displayName: 'Dana Scully',
        optedOut: false,
        optOutReason: null,
        optOutNote: null,
      },
      errors: [],
    });
    expect(await contactOf(id)).toMatchObject({ name: 'Dana Scully', notes: 'Room 12, late checkout' });
    // Omitted fields stay; blank ones are removed.
    expect((await update({ address: '+15557770101', notes: ' ' })).data.updateContact.contact).toMatchObject({ name: 'Dana Scully', notes: null });
  });

  it('names a stored-only name in any case, keeping each conversation id', async () => {
    await send({ to: 'Alice', body: 'hello' });
    const id = conversationId('Operator', 'Alice');
    await update({ address: 'alice', name: 'Alice Liddell' });
    expect(await contactOf(id)).toMatchObject({ address: 'Alice', name: 'Alice Liddell' });
    // "alice" sent to goes to Alice's conversation: no second one that only differs in case.
    const again = await t.gql(`mutation { sendMessage(input: { to: "ALICE", body: "again" }) { message { conversationId to } } }`);
    expect(again.body.data.sendMessage.message).toEqual({ conversationId: id, to: 'Alice' });
  });

  it('refuses bad input with a stable code per field and writes nothing', async () => {
    const before = await contactRows();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ address: '555-12', name: 'X' }, ['address:INVALID_PHONE_NUMBER']],
      [{ address: '   ', name: 'X' }, ['address:INVALID_ADDRESS']],
      [{ address: '+15557770101', name: 'x'.repeat(101) }, ['name:INVALID_NAME']],
      [{ address: '+15557770101', name: 'a\u0007b' }, ['name:INVALID_NAME']],
      [{ address: '+15557770101', notes: 'n'.repeat(2001) }, ['notes:NOTES_TOO_LONG']],
      [{ address: '+15557770101', name: 'a\u0000b' }, ['name:INVALID_CHARACTERS']],
      [{ address: '555-12', name: 'y'.repeat(101), notes: 'n'.repeat(2001) }, ['address:INVALID_PHONE_NUMBER', 'name:INVALID_NAME', 'notes:NOTES_TOO_LONG']],
    ];
    for (const [input, codes] of cases) {
      const { data } = await update(input);
      expect(data.updateContact.contact, JSON.stringify(input)).toBeNull();
      expect(data.updateContact.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(codes);
    }
    expect(await contactRows()).toEqual(before);
  });

  it('is refused (FORBIDDEN) for a read token, and works for a send token', async () => {
    const reader = { authorization: `Bearer ${await t.token('contacts reader', 'read')}` };
    const before = await contactRows();
    const refused = await update({ address: '+15557770101', name: 'Nope' }, reader);
    expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await contactRows()).toEqual(before);
    const sender = { authorization: `Bearer ${await t.token('contacts sender', 'send')}` };
    expect((await update({ address: '+15557770101', name: 'Dana' }, sender)).data.updateContact.errors).toEqual([]);
  });

  it('tells every window through conversationUpdated, with the new name', async () => {
    const id = conversationId(OURS, '+15557770101');
    const client = sseClient(t, 'distinct');
    const sub = subscribe<{ conversationUpdated: { id: string; contact: { displayName: string } } }>(client, 'subscription { conversationUpdated { id contact { displayName } } }');
    try {
      await new Promise((r) => setTimeout(r, 300));
      await update({ address: '+15557770101', name: 'Dana S.' });
      const events = await sub.until((e) => e.some((x) => x.conversationUpdated.contact.displayName === 'Dana S.'));
      expect(events.at(-1)!.conversationUpdated.id).toBe(id);
    } finally {
      sub.dispose();
      client.dispose();
    }
  });

  it('records why a number opted out, and words it from that: a STOP reply, Twilio error 21610, or the test number', async () => {
    // A STOP reply.
    expect((await webhook('/twilio/inbound', { MessageSid: 'SMstop0000000000000000000000000001', From: '+15557770202', To: OURS, Body: 'Stop' })).status).toBe(200);
    expect(await contactOf(conversationId(OURS, '+15557770202'))).toMatchObject({
      optedOut: true,
      optOutReason: 'STOP_REPLY',
      optOutNote: '+1 555-777-0202 replied STOP: no text reaches them until they reply START.',
    });
    const refused = await send({ to: '+15557770202', body: 'hello?' });
    expect(refused.errors).toEqual([{ field: 'to', code: 'OPTED_OUT', message: '+1 555-777-0202 replied STOP: no text reaches them until they reply START.' }]);

    // Twilio's test number: nobody replied anything.
    const test = await send({ to: '+15005550004', body: 'to the test number' });
    await eventually(async () => (await statusOf(test.message.id)) === 'FAILED');
    const testContact = await contactOf(conversationId(OURS, '+15005550004'));
    expect(testContact).toMatchObject({ optedOut: true, optOutReason: 'TEST_NUMBER' });
    expect(testContact.optOutNote).toMatch(/test number for an opted-out recipient/);
    expect(testContact.optOutNote).not.toMatch(/STOP/);
    const failed = await t.gql(`query($id: ID!) { node(id: $id) { ... on Message { status errorCode errorMessage } } }`, { id: test.message.id });
    expect(failed.body.data.node).toEqual({ status: 'FAILED', errorCode: '21610', errorMessage: testContact.optOutNote });
    expect((await send({ to: '+15005550004', body: 'again' })).errors[0]).toMatchObject({ code: 'OPTED_OUT', message: testContact.optOutNote });

    // A carrier's 21610 in a status report for a number that never wrote.
    const sent = await send({ to: '+15557770303', body: 'will bounce' });
    const sid = await eventually(async () => (await t.db.query<{ provider_sid: string | null }>('SELECT provider_sid FROM messages WHERE id = $1', [sent.message.id]))[0]?.provider_sid);
    expect((await webhook('/twilio/status', { MessageSid: sid, MessageStatus: 'failed', ErrorCode: '21610' })).status).toBe(200);
    const carrier = await contactOf(conversationId(OURS, '+15557770303'));
    expect(carrier).toMatchObject({ optedOut: true, optOutReason: 'PROVIDER_ERROR' });
    expect(carrier.optOutNote).toMatch(/^Twilio refused to text \+1 555-777-0303 \(error 21610/);

    // START opts back in, and the reason goes with the opt-out.
    await webhook('/twilio/inbound', { MessageSid: 'SMstart000000000000000000000000001', From: '+15557770202', To: OURS, Body: 'START' });
    expect(await contactOf(conversationId(OURS, '+15557770202'))).toMatchObject({ optedOut: false, optOutReason: null, optOutNote: null });
  });

  it('reads the contacts of a whole page in one query', async () => {
    for (let i = 0; i < 15; i++) await send({ to: `+1555888${String(i).padStart(4, '0')}`, body: `hi ${i}` });
    const original = t.db.query.bind(t.db);
    const contactQueries: string[] = [];
    t.db.query = (async (sql: string, params?: unknown[]) => {
      if (/FROM "contacts"/.test(sql)) contactQueries.push(sql);
      return original(sql, params);
    }) as typeof t.db.query;
    try {
      const page = await t.gql(`{ conversations(first: 20) { edges { node { contact { displayName } contacts { optedOut } participantContacts { name } } } } }`);
      expect(page.body.errors).toBeUndefined();
      expect(page.body.data.conversations.edges).toHaveLength(20);
    } finally {
      t.db.query = original;
    }
    expect(contactQueries).toHaveLength(1);
  });
});
