import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const READ = `query($to: String!) { recipient(to: $to) { kind address display contact { name optedOut } error { field code message } } }`;

describe.each(testDatabases())('reading a recipient as typed, on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  const read = async (to: string, app = t) => (await app.gql(READ, { to })).body.data.recipient;
  const rows = async () => Number((await t.db.query<{ n: string }>('SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM conversations) + (SELECT count(*) FROM contacts) AS n'))[0]!.n);

  it('reads numbers as people type and paste them, in the default country, and says how it will send', async () => {
    const before = await rows();
    for (const to of ['+1 555 123 4567', '(555) 123-4567', '5551234567', '555-123-4567', '+1\u2011555\u2011123\u20114567', 'tel:+15551234567', ' 555.123.4567 ']) {
      expect(await read(to), to).toEqual({ kind: 'SMS', address: '+15551234567', display: '+1 555-123-4567', contact: { name: null, optedOut: false }, error: null });
    }
    expect(await rows()).toBe(before); // reading writes nothing
  });

  it('refuses what looks like a number and is not one, never taking it for a name', async () => {
    for (const to of ['555-1234', '+12', '555 010 20', 'tel:hello']) {
      expect(await read(to), to).toMatchObject({ kind: 'INVALID', address: null, error: { field: 'to', code: 'INVALID_PHONE_NUMBER' } });
    }
  });

  it('confirms a name, even one with digits in it, as stored only', async () => {
    expect(await read('Room 101')).toEqual({ kind: 'NAME', address: 'Room 101', display: 'Room 101', contact: { name: null, optedOut: false }, error: null });
    expect((await read('x'.repeat(101))).error.code).toBe('INVALID_RECIPIENT');
    expect((await read('operator')).error).toMatchObject({ code: 'INVALID_RECIPIENT', message: expect.stringMatching(/same/) });
  });

  it('spells a name as the conversation that already has it does', async () => {
    await t.gql(`mutation { sendMessage(input: { to: "Front Desk", body: "hi" }) { errors { code } } }`);
    expect(await read('front desk')).toMatchObject({ kind: 'NAME', address: 'Front Desk' });
  });

  it('says ahead when a send would be refused: a country not allowed, an opted-out number', async () => {
    expect((await read('+44 7700 900123')).error).toMatchObject({ code: 'DESTINATION_NOT_ALLOWED' });
    await t.db.query(`INSERT INTO contacts (address, opted_out, opt_out_reason) VALUES ('+15557770909', true, 'STOP_REPLY')`);
    expect(await read('(555) 777-0909')).toMatchObject({
      kind: 'SMS',
      contact: { optedOut: true },
      error: { code: 'OPTED_OUT', message: '+1 555-777-0909 replied STOP: no text reaches them until they reply START.' },
    });
  });

  it('reads national numbers in SMS_DEFAULT_COUNTRY', async () => {
    const uk = await startTestApp(await open(), { config: testConfig({ SMS_DEFAULT_COUNTRY: 'GB', SMS_ALLOWED_COUNTRIES: 'GB,US' }) });
    try {
      expect(await read('07700 900123', uk)).toMatchObject({ kind: 'SMS', address: '+447700900123', display: '+44 7700 900123', error: null });
      const settings = (await uk.gql(`{ smsSettings { from fromDisplay defaultCountry allowedCountries } }`)).body.data.smsSettings;
      expect(settings).toEqual({ from: '+15005550006', fromDisplay: '+1 500-555-0006', defaultCountry: 'GB', allowedCountries: ['GB', 'US'] });
    } finally {
      await uk.close();
    }
  });

  it('tells which number sends SMS, whether they are simulated, and where numbers are read', async () => {
    const settings = (await t.gql(`{ smsSettings { simulated from fromDisplay defaultCountry allowedCountries } }`)).body.data.smsSettings;
    expect(settings).toEqual({ simulated: true, from: '+15005550006', fromDisplay: '+1 500-555-0006', defaultCountry: 'US', allowedCountries: ['US'] });
    // With Twilio credentials, they are not simulated.
    const twilio = await startTestApp(await open(), {
      sms: { twilio: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'token', from: '+15005550006', apiUrl: 'http://127.0.0.1:9', maxMps: 1 } },
    });
    try {
      expect((await twilio.gql(`{ smsSettings { simulated } }`)).body.data.smsSettings).toEqual({ simulated: false });
    } finally {
      await twilio.close();
    }
    // A read token may ask: it is a query.
    const reader = { authorization: `Bearer ${await t.token('recipient reader', 'read')}` };
    expect((await t.gql(READ, { to: '5551234567' }, reader)).body.data.recipient.kind).toBe('SMS');
  });
});
