import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundSmsParams, postSignedWebhook } from '../modules/channels/twilio-sms/signed-webhooks.ts';
import { INBOUND_PATH } from '../modules/channels/twilio-sms/webhooks.ts';
import { WHATSAPP_INBOUND_PATH } from '../modules/channels/twilio-whatsapp/index.ts';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { eventually, freePort, startTestApp, type TestApp } from '../testing/test-app.ts';
import { contentTemplate, startTwilioStandin, type TwilioStandin } from '../testing/twilio-standin.ts';
import { WHATSAPP_STATUS_PATH } from '../modules/channels/twilio-whatsapp/index.ts';

const WEBHOOK_TOKEN = 'whatsapp-webhooks';
const OURS = 'whatsapp:+15005550006';
const REMINDER = 'HX00000000000000000000000000000001';
const DAY = 24 * 3600_000;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) {
  message { id conversationId from to body channel status }
  scheduled { id sendAt }
  errors { field code message } } }`;
const THREAD = `query($id: ID!) { conversation(id: $id) { channel freeTextUntil participants messages(first: 20) { edges { node { body channel direction status } } } } }`;
const TEMPLATES = `{ messageTemplates { sid name body variables { name example } } smsSettings { whatsappFrom } }`;
const RECIPIENT = `query($to: String!, $channel: SendChannel) { recipient(to: $to, channel: $channel) { kind address display freeTextUntil error { code } } }`;

/** A clock the test moves forward: the window is judged by it. */
function testClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), add: (ms: number) => void (offset += ms), reset: () => void (offset = 0) };
}

describe.each(testDatabases())('WhatsApp through the simulator on the $name database', ({ open }) => {
  let t: TestApp;
  const clock = testClock();
  beforeAll(async () => {
    t = await startTestApp(await open(), { clock: clock.now, sms: { simulatorToken: WEBHOOK_TOKEN } });
  });
  afterAll(() => t?.close());

  const send = async (input: Record<string, unknown>) => (await t.gql(SEND, { input })).body.data.sendMessage;
  const thread = async (id: string) => (await t.gql(THREAD, { id })).body.data.conversation;
  const inbound = async (from: string, body: string, path = WHATSAPP_INBOUND_PATH) => {
    const res = await postSignedWebhook({
      authToken: WEBHOOK_TOKEN,
      postUrl: `${t.url}${path}`,
      signedUrl: `${t.url}${path}`,
      params: { ...inboundSmsParams({ from, to: OURS, body }), ProfileName: 'Dana', WaId: from.replace(/\D/g, '') },
    });
    expect(res.status).toBe(200);
    return conversationId(OURS, from);
  };
  const rows = async () => Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM messages'))[0]!.n);
  const status = (id: string, wanted: string) =>
    eventually(async () => {
      const [row] = await t.db.query<{ status: string; error_code: string | null; error_message: string | null }>(
        'SELECT status, error_code, error_message FROM messages WHERE id = $1',
        [id],
      );
      return row?.status === wanted && row;
    });

  it('receives a WhatsApp message into a WhatsApp conversation, open for free text for 24 hours', async () => {
    const before = Date.now();
    const id = await inbound('whatsapp:+15557010001', 'Hi on WhatsApp');
    const c = await thread(id);
    expect(c.channel).toBe('WHATSAPP');
    expect(c.participants.sort()).toEqual(['whatsapp:+15005550006', 'whatsapp:+15557010001']);
    expect(c.messages.edges[0].node).toMatchObject({ body: 'Hi on WhatsApp', channel: 'WHATSAPP', direction: 'INBOUND', status: 'RECEIVED' });
    const until = new Date(c.freeTextUntil).getTime();
    expect(until).toBeGreaterThanOrEqual(before + DAY - 5_000);
    expect(until).toBeLessThanOrEqual(Date.now() + DAY);
  });

  it('replies with free text within the window, and follows it to READ', async () => {
    const id = conversationId(OURS, 'whatsapp:+15557010001');
    const sent = await send({ conversationId: id, body: 'Hello back' });
    expect(sent.errors).toEqual([]);
    expect(sent.message).toMatchObject({ channel: 'WHATSAPP', from: OURS, to: 'whatsapp:+15557010001', status: 'QUEUED' });
    const row = await status(sent.message.id, 'READ');
    expect(row).toMatchObject({ error_code: null });
    const [{ provider_sid }] = (await t.db.query<{ provider_sid: string }>('SELECT provider_sid FROM messages WHERE id = $1', [sent.message.id])) as [{ provider_sid: string }];
    const events = await t.db.query<{ status: string }>('SELECT status FROM message_status_events WHERE provider_sid = $1 ORDER BY id', [provider_sid]);
    expect(events.map((e) => e.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('refuses free text outside the window with OUTSIDE_SESSION_WINDOW, and writes nothing', async () => {
    const id = conversationId(OURS, 'whatsapp:+15557010001');
    const n = await rows();
    clock.add(DAY + 60_000);
    try {
      const late = await send({ conversationId: id, body: 'A day later' });
      expect(late.message).toBeNull();
      expect(late.errors).toEqual([expect.objectContaining({ field: 'body', code: 'OUTSIDE_SESSION_WINDOW' })]);
      expect(late.errors[0].message).toBe(
        "WhatsApp allows free text only within 24 hours of the customer's last message, and it is more than 24 hours since +1 555-701-0001 last wrote: send an approved template instead.",
      );
      // Never written: the same for a number that has not written at all, typed with the prefix or chosen by channel.
      for (const input of [{ to: 'whatsapp:+15557010002', body: 'Cold open' }, { to: '+1 555 701 0002', channel: 'WHATSAPP', body: 'Cold open' }]) {
        expect((await send(input)).errors).toEqual([
          expect.objectContaining({ code: 'OUTSIDE_SESSION_WINDOW', message: expect.stringContaining('and +1 555-701-0002 has not written on WhatsApp yet: send') }),
        ]);
      }
      expect(await rows()).toBe(n);
    } finally {
      clock.reset();
    }
  });

  it('sends an approved template outside the window, with its blanks filled in', async () => {
    const listed = (await t.gql(TEMPLATES)).body.data;
    expect(listed.smsSettings.whatsappFrom).toBe(OURS);
    const reminder = listed.messageTemplates.find((m: { sid: string }) => m.sid === REMINDER);
    expect(reminder.variables.map((v: { name: string }) => v.name)).toEqual(['1', '2']);
    const sent = await send({
      to: 'whatsapp:+15557010002',
      contentSid: REMINDER,
      contentVariables: [
        { name: '1', value: 'Dana' },
        { name: '2', value: 'Friday at 10:00' },
      ],
    });
    expect(sent.errors).toEqual([]);
    expect(sent.message.body).toBe('Hello Dana, this is a reminder of your appointment on Friday at 10:00. Reply to this message to confirm or change it.');
    await status(sent.message.id, 'READ');
    const [outbox] = await t.db.query('SELECT 1 FROM sms_outbox WHERE message_id = $1', [sent.message.id]);
    expect(outbox).toBeUndefined();
  });

  it('refuses a template that is not approved, a blank left empty, a blank it does not have, and a template by SMS', async () => {
    const n = await rows();
    const cases: [Record<string, unknown>, string][] = [
      [{ to: 'whatsapp:+15557010003', contentSid: 'HX' + 'f'.repeat(32) }, 'INVALID_TEMPLATE'],
      [{ to: 'whatsapp:+15557010003', contentSid: REMINDER, contentVariables: [{ name: '1', value: 'Dana' }, { name: '2', value: '  ' }] }, 'INVALID_TEMPLATE'],
      [{ to: 'whatsapp:+15557010003', contentSid: REMINDER, contentVariables: [{ name: '1', value: 'a' }, { name: '2', value: 'b' }, { name: '3', value: 'c' }] }, 'INVALID_TEMPLATE'],
      [{ to: '+15557010003', contentSid: REMINDER, contentVariables: [{ name: '1', value: 'a' }, { name: '2', value: 'b' }] }, 'INVALID_TEMPLATE'],
      [{ to: 'whatsapp:+1555', body: 'x' }, 'INVALID_PHONE_NUMBER'],
      [{ to: 'Dana Scully', channel: 'WHATSAPP', body: 'x' }, 'INVALID_RECIPIENT'],
    ];
    for (const [input, code] of cases) {
      const out = await send(input);
      expect(out.message, JSON.stringify(input)).toBeNull();
      expect(out.errors.map((e: { code: string }) => e.code)).toContain(code);
    }
    expect(await rows()).toBe(n);
  });

  it('lets one number be written on either channel, each in its own conversation', async () => {
    const whatsapp = conversationId(OURS, 'whatsapp:+15557010001');
    // SMS from the WhatsApp thread: the number's SMS conversation, from our SMS number.
    const sms = await send({ conversationId: whatsapp, channel: 'SMS', body: 'By text instead' });
    expect(sms.errors).toEqual([]);
    expect(sms.message).toMatchObject({ channel: 'SMS', from: '+15005550006', to: '+15557010001' });
    expect(sms.message.conversationId).toBe(conversationId('+15005550006', '+15557010001'));
    // The composer's reading of the same number, on each channel.
    const read = async (channel?: string) => (await t.gql(RECIPIENT, { to: '(555) 701-0001', channel })).body.data.recipient;
    expect(await read()).toMatchObject({ kind: 'SMS', address: '+15557010001', freeTextUntil: null });
    const wa = await read('WHATSAPP');
    expect(wa).toMatchObject({ kind: 'WHATSAPP', address: 'whatsapp:+15557010001', display: 'WhatsApp +1 555-701-0001', error: null });
    expect(wa.freeTextUntil).not.toBeNull();
  });

  it('keeps opt-outs per channel: STOP on WhatsApp stops WhatsApp, not SMS', async () => {
    await inbound('whatsapp:+15557010004', 'STOP');
    const refused = await send({ to: 'whatsapp:+15557010004', body: 'Still there?' });
    expect(refused.errors).toEqual([expect.objectContaining({ code: 'OPTED_OUT' })]);
    const sms = await send({ to: '+15557010004', body: 'By SMS it still goes' });
    expect(sms.errors).toEqual([]);
    expect(sms.message.channel).toBe('SMS');
  });

  it("makes a WhatsApp sender the same person as their number's contact, else names them by their profile", async () => {
    await t.db.query(`INSERT INTO contacts (address, name) VALUES ('+15557010009', 'Fox Mulder')`);
    await inbound('whatsapp:+15557010009', 'Hello from WhatsApp');
    await inbound('whatsapp:+15557010010', 'Someone new');
    await t.db.query(`UPDATE contacts SET name = 'Renamed' WHERE address = 'whatsapp:+15557010010'`);
    await inbound('whatsapp:+15557010010', 'Again');
    const rows = await t.db.query<{ address: string; name: string; person_id: string | null }>(
      `SELECT address, name, person_id FROM contacts WHERE address IN ('+15557010009', 'whatsapp:+15557010009', 'whatsapp:+15557010010') ORDER BY address`,
    );
    expect(rows.map((r) => [r.address, r.name])).toEqual([
      ['+15557010009', 'Fox Mulder'],
      ['whatsapp:+15557010009', 'Fox Mulder'],
      // The profile name made the contact; a name an operator gave since is kept.
      ['whatsapp:+15557010010', 'Renamed'],
    ]);
    expect(rows[0]!.person_id).not.toBeNull();
    expect(rows[1]!.person_id).toBe(rows[0]!.person_id);
    expect(rows[2]!.person_id).toBeNull();
    // The name still texts the number by SMS; WhatsApp is a choice.
    const sms = await send({ to: 'Fox Mulder', body: 'By name' });
    expect(sms.message).toMatchObject({ channel: 'SMS', to: '+15557010009' });
    const wa = await send({ to: 'Fox Mulder', channel: 'WHATSAPP', body: 'By name, on WhatsApp' });
    expect(wa.message).toMatchObject({ channel: 'WHATSAPP', to: 'whatsapp:+15557010009' });
  });

  it('keeps a WhatsApp message posted to the SMS webhook as WhatsApp', async () => {
    const id = await inbound('whatsapp:+15557010005', 'Sent to the SMS URL', INBOUND_PATH);
    const c = await thread(id);
    expect(c.channel).toBe('WHATSAPP');
    expect(c.messages.edges[0].node.channel).toBe('WHATSAPP');
  });

  it('is refused by the simulator as Twilio would (63016) when the window closed before the message went', async () => {
    const id = await inbound('whatsapp:+15557010006', 'Old message');
    // The customer wrote 25 hours ago by the database's clock, while Hatch's clock still says it is
    // within the day: the provider has the last word, and the message fails with its reason.
    await t.db.query(`UPDATE messages SET created_at = now() - interval '25 hours' WHERE conversation_id = $1`, [id]);
    clock.add(-2 * DAY + 3600_000 * 2);
    try {
      const sent = await send({ conversationId: id, body: 'Too late' });
      expect(sent.errors).toEqual([]);
      const row = await status(sent.message.id, 'FAILED');
      expect(row).toMatchObject({ error_code: '63016' });
      expect(row.error_message).toMatch(/24 hours/);
    } finally {
      clock.reset();
    }
  });

  it('fails a scheduled WhatsApp message that comes due outside the window, with the reason in its thread', async () => {
    const id = await inbound('whatsapp:+15557010007', 'Call me tomorrow');
    const scheduled = await send({ conversationId: id, body: 'Calling now?', sendAt: new Date(Date.now() + 2 * DAY).toISOString() });
    expect(scheduled.errors).toEqual([]);
    clock.add(2 * DAY + 60_000);
    try {
      await t.app.sendDue();
      const [row] = await t.db.query<{ status: string; error_code: string }>('SELECT status, error_code FROM scheduled_messages WHERE id = $1', [scheduled.scheduled.id]);
      expect(row).toMatchObject({ status: 'FAILED', error_code: 'OUTSIDE_SESSION_WINDOW' });
    } finally {
      clock.reset();
    }
  });
});

describe.each(testDatabases())('a server without WhatsApp on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    const config = testConfig();
    t = await startTestApp(await open(), { config: { ...config, senders: { ...config.senders, whatsappFrom: undefined } } });
  });
  afterAll(() => t?.close());

  it('refuses WhatsApp with CHANNEL_UNAVAILABLE, lists no templates, and says so in its settings', async () => {
    const out = (await t.gql(SEND, { input: { to: 'whatsapp:+15557010008', body: 'x' } })).body.data.sendMessage;
    expect(out.errors).toEqual([expect.objectContaining({ code: 'CHANNEL_UNAVAILABLE' })]);
    const chosen = (await t.gql(SEND, { input: { to: '+15557010008', channel: 'WHATSAPP', body: 'x' } })).body.data.sendMessage;
    expect(chosen.errors).toEqual([expect.objectContaining({ code: 'CHANNEL_UNAVAILABLE' })]);
    const listed = (await t.gql(TEMPLATES)).body.data;
    expect(listed).toEqual({ messageTemplates: [], smsSettings: { whatsappFrom: null } });
    const read = (await t.gql(RECIPIENT, { to: 'whatsapp:+15557010008' })).body.data.recipient;
    expect(read).toMatchObject({ kind: 'WHATSAPP', error: { code: 'CHANNEL_UNAVAILABLE' } });
    const res = await fetch(`${t.url}${WHATSAPP_INBOUND_PATH}`, { method: 'POST' });
    expect(res.status).toBe(404);
  });
});

describe.each(testDatabases())('WhatsApp through Twilio (the real library, a stand-in for its API) on the $name database', ({ open }) => {
  const ACCOUNT = `AC${'4d'.repeat(16)}`;
  const TOKEN = 'twilio-whatsapp-token';
  const SANDBOX = 'whatsapp:+14155238886';
  const APPROVED = `HX${'a1'.repeat(16)}`;
  const PENDING = `HX${'b2'.repeat(16)}`;
  let standin: TwilioStandin;
  let t: TestApp;
  beforeAll(async () => {
    standin = await startTwilioStandin({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      templates: [
        contentTemplate(ACCOUNT, APPROVED, 'order_update', 'Hi {{1}}, your order {{2}} has shipped.', { 1: 'Dana', 2: '#1001' }),
        contentTemplate(ACCOUNT, PENDING, 'promo', 'Sale on {{1}}!', { 1: 'Friday' }, 'pending'),
      ],
    });
    const port = await freePort();
    t = await startTestApp(
      await open(),
      {
        config: testConfig({ WHATSAPP_FROM: '+14155238886' }),
        sms: { twilio: { accountSid: ACCOUNT, authToken: TOKEN, from: '+15005550006', apiUrl: standin.url, maxMps: 1000 }, publicUrl: `http://127.0.0.1:${port}` },
      },
      port,
    );
  });
  afterAll(async () => {
    await t?.close();
    await standin?.close();
  });

  it("lists the account's approved templates once for many readers, and sends one by its ContentSid", async () => {
    const [a, b] = await Promise.all([t.gql(TEMPLATES), t.gql(TEMPLATES)]);
    expect(a.body.data.messageTemplates).toEqual([
      { sid: APPROVED, name: 'order_update', body: 'Hi {{1}}, your order {{2}} has shipped.', variables: [{ name: '1', example: 'Dana' }, { name: '2', example: '#1001' }] },
    ]);
    expect(b.body.data).toEqual(a.body.data);
    await t.gql(TEMPLATES);
    expect(standin.contentListRequests).toBe(1);

    const sent = (await t.gql(SEND, { input: { to: 'whatsapp:+15557020001', contentSid: APPROVED, contentVariables: [{ name: '1', value: 'Dana' }, { name: '2', value: '#2002' }] } })).body.data.sendMessage;
    expect(sent.errors).toEqual([]);
    const [request] = await standin.waitForRequests(1);
    expect(request!.params).toMatchObject({ To: 'whatsapp:+15557020001', From: SANDBOX, ContentSid: APPROVED });
    expect(request!.params.Body).toBeUndefined();
    expect(JSON.parse(request!.params.ContentVariables!)).toEqual({ 1: 'Dana', 2: '#2002' });
    expect(request!.params.StatusCallback).toBe(`${t.url}${WHATSAPP_STATUS_PATH}`);
    // What Twilio made of the template is what the thread shows.
    const made = standin.messages.get(request!.sid!)!;
    expect(made.body).toBe(sent.message.body);
    expect(made.body).toBe('Hi Dana, your order #2002 has shipped.');
    // A template waiting for approval cannot be sent.
    const pending = (await t.gql(SEND, { input: { to: 'whatsapp:+15557020001', contentSid: PENDING, contentVariables: [{ name: '1', value: 'x' }] } })).body.data.sendMessage;
    expect(pending.errors).toEqual([expect.objectContaining({ code: 'INVALID_TEMPLATE' })]);
    expect(standin.requests).toHaveLength(1);
  });

  it('takes an inbound WhatsApp message from Twilio, answers it in the window, and records delivered and read', async () => {
    const res = await standin.sendInbound(`${t.url}${WHATSAPP_INBOUND_PATH}`, { From: 'whatsapp:+15557020002', To: SANDBOX, Body: 'Where is my order?', extra: { ProfileName: 'Dana', WaId: '15557020002' } });
    expect(res.status).toBe(200);
    const id = conversationId(SANDBOX, 'whatsapp:+15557020002');
    const before = standin.requests.length;
    const sent = (await t.gql(SEND, { input: { conversationId: id, body: 'On its way!' } })).body.data.sendMessage;
    expect(sent.errors).toEqual([]);
    const requests = await standin.waitForRequests(before + 1);
    const request = requests[before]!;
    expect(request.params).toMatchObject({ To: 'whatsapp:+15557020002', From: SANDBOX, Body: 'On its way!' });
    await eventually(async () => (await t.db.query<{ provider_sid: string | null }>('SELECT provider_sid FROM messages WHERE id = $1', [sent.message.id]))[0]?.provider_sid === request.sid);
    for (const word of ['sent', 'delivered', 'read'] as const) expect(await standin.sendStatus(request.sid!, word)).toBe(200);
    // A late "delivered" after "read" changes nothing.
    expect(await standin.sendStatus(request.sid!, 'delivered')).toBe(200);
    const [row] = await t.db.query<{ status: string }>('SELECT status FROM messages WHERE id = $1', [sent.message.id]);
    expect(row!.status).toBe('READ');
    expect(standin.requests).toHaveLength(before + 1);
  });
});
