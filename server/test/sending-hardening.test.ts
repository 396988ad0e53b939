import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const SEND = 'mutation($input: SendMessageInput!){ sendMessage(input: $input){ message { id to from channel status conversationId } errors { field code message } } }';

describe.each(testDatabases())('what a send may cost, and who it is from, on the $name database', ({ open }) => {
  let t: TestApp;
  const count = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n;
  const queued = async (where: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sms_outbox o JOIN messages m ON m.id = o.message_id ${where}`))[0]!.n;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  it('refuses premium-rate and shared-cost numbers with DESTINATION_NOT_ALLOWED, writing nothing', async () => {
    const before = await count();
    for (const to of ['+1 900 555 0199', '+19005550100']) {
      const { body } = await t.gql(SEND, { input: { to, body: 'costly' } });
      expect(body.data.sendMessage.message).toBeNull();
      expect(body.data.sendMessage.errors[0]).toMatchObject({ field: 'to', code: 'DESTINATION_NOT_ALLOWED' });
      expect(body.data.sendMessage.errors[0].message).toMatch(/premium-rate numbers.*SMS_ALLOWED_NUMBER_TYPES/);
    }
    // The recipient check the composer runs says the same before anything is typed out.
    const check = await t.gql('{ recipient(to: "+1 900 555 0199") { kind error { code } } }');
    expect(check.body.data.recipient.error.code).toBe('DESTINATION_NOT_ALLOWED');
    expect(await count()).toBe(before);
    // Ordinary and unassigned (+1 555) numbers still go.
    for (const to of ['+14155550100', '+15551230001']) {
      const { body } = await t.gql(SEND, { input: { to, body: 'fine' } });
      expect(body.data.sendMessage.errors).toEqual([]);
    }
  });

  it('keeps idempotency keys to the credential that used them', async () => {
    const other = { authorization: `Bearer ${await t.token('second program', 'send')}` };
    const a = await t.gql(SEND, { input: { to: 'Key Owner', body: 'from A', idempotencyKey: 'shared-key-1' } });
    const b = await t.gql(SEND, { input: { to: 'Key Owner', body: 'from B', idempotencyKey: 'shared-key-1' } }, other);
    expect(a.body.data.sendMessage.errors).toEqual([]);
    expect(b.body.data.sendMessage.errors).toEqual([]);
    expect(b.body.data.sendMessage.message.id).not.toBe(a.body.data.sendMessage.message.id);
    // Each one's retry still gets its own first message.
    const again = await t.gql(SEND, { input: { to: 'Key Owner', body: 'from B', idempotencyKey: 'shared-key-1' } }, other);
    expect(again.body.data.sendMessage.message.id).toBe(b.body.data.sendMessage.message.id);
    // And a different body with one's own key is still a reuse.
    const reused = await t.gql(SEND, { input: { to: 'Key Owner', body: 'changed', idempotencyKey: 'shared-key-1' } });
    expect(reused.body.data.sendMessage.errors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it("refuses an SMS whose `from` is not this inbox's number (a contact's, say) with INVALID_SENDER", async () => {
    const first = await t.gql(SEND, { input: { to: '+15552220001', body: 'hello' } });
    const conversationId = first.body.data.sendMessage.message.conversationId;
    const before = await count();
    const spoofed = await t.gql(SEND, { input: { to: '+15552220002', from: '+15552220001', body: 'as someone else' } });
    expect(spoofed.body.data.sendMessage.errors[0]).toMatchObject({ field: 'from', code: 'INVALID_SENDER' });
    // In a conversation, the contact's side cannot send either.
    const reversed = await t.gql(SEND, { input: { conversationId, from: '+15552220001', body: 'as the contact' } });
    expect(reversed.body.data.sendMessage.errors[0]).toMatchObject({ code: 'INVALID_SENDER' });
    expect(await count()).toBe(before);
    // Our own number, given or not, is fine.
    const ours = await t.gql(SEND, { input: { to: '+15552220002', from: '+15005550006', body: 'ours' } });
    expect(ours.body.data.sendMessage.errors).toEqual([]);
  });

  it('refuses a reply by conversationId to a number that opted out, queueing nothing', async () => {
    const first = await t.gql(SEND, { input: { to: '+15552230001', body: 'before STOP' } });
    const conversationId = first.body.data.sendMessage.message.conversationId;
    await t.db.query(`INSERT INTO contacts (address, opted_out, opted_out_at, opt_out_reason) VALUES ('+15552230001', true, now(), 'STOP_REPLY')`);
    const messages = await count();
    const reply = await t.gql(SEND, { input: { conversationId, body: 'after STOP' } });
    expect(reply.body.data.sendMessage.errors[0]).toMatchObject({ code: 'OPTED_OUT' });
    // The worker may drain the first send's outbox row at any moment, so what must not exist is
    // a row, or a queued send, for the refused body.
    expect(await count()).toBe(messages);
    expect(await queued("WHERE m.body = 'after STOP'")).toBe(0);
  });

  it('caps smsSegments(body:) as sendMessage caps a body: BODY_TOO_LONG', async () => {
    const { status, body } = await t.gql('query($b: String!){ smsSegments(body: $b) { segments } }', { b: 'x'.repeat(900_000) });
    expect(status).toBeLessThan(500);
    expect(body.errors[0].extensions.code).toBe('BODY_TOO_LONG');
    const fine = await t.gql('query($b: String!){ smsSegments(body: $b) { segments } }', { b: 'x'.repeat(1600) });
    expect(fine.body.data.smsSegments.segments).toBe(11);
  });
});

describe('SMS_ALLOWED_NUMBER_TYPES', () => {
  it('lets an operator allow a number type, or any (*), and names the bad ones', async () => {
    const db = await testDatabases()[0]!.open();
    const t = await startTestApp(db, { config: testConfig({ SMS_ALLOWED_NUMBER_TYPES: 'PREMIUM_RATE,MOBILE,FIXED_LINE_OR_MOBILE' }) });
    try {
      const { body } = await t.gql(SEND, { input: { to: '+19005550199', body: 'allowed now' } });
      expect(body.data.sendMessage.errors).toEqual([]);
      const tollFree = await t.gql(SEND, { input: { to: '+18005550100', body: 'not listed' } });
      expect(tollFree.body.data.sendMessage.errors[0].code).toBe('DESTINATION_NOT_ALLOWED');
    } finally {
      await t.close();
    }
    expect(testConfig({ SMS_ALLOWED_NUMBER_TYPES: '*' }).limits.numberTypes).toBe('any');
    expect(() => testConfig({ SMS_ALLOWED_NUMBER_TYPES: 'MOBILE,EXPENSIVE' })).toThrow(/SMS_ALLOWED_NUMBER_TYPES/);
  });
});
