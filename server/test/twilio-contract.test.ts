import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { createTwilioClient } from '../modules/channels/twilio-sms/twilio-client.ts';
import { TwilioSmsSender } from '../modules/channels/twilio-sms/twilio-sender.ts';
import { startPrism, twilioOpenApiSpec, type Prism } from '../testing/prism.ts';
import { eventually, startTestApp } from '../testing/test-app.ts';

const ACCOUNT = `AC${'2b'.repeat(16)}`;
const spec = twilioOpenApiSpec();
if (!spec) {
  console.warn(
    "Skipping the Twilio contract tests: Twilio's OpenAPI description was not found. " +
      'Set TWILIO_OPENAPI_SPEC to twilio_api_v2010.json (from github.com/twilio/twilio-oai) to run them.',
  );
}

describe.skipIf(!spec)("outbound requests against Twilio's own OpenAPI contract (Prism, --errors)", () => {
  let prism: Prism;
  beforeAll(async () => {
    prism = await startPrism(spec!);
  }, 90_000);
  afterAll(() => prism?.close());

  it('accepts what TwilioSmsSender sends, from a number and through a Messaging Service', async () => {
    for (const via of [{ from: '+15005550006' }, { messagingServiceSid: `MG${'3c'.repeat(16)}` }]) {
      const sender = new TwilioSmsSender({
        accountSid: ACCOUNT,
        authToken: 'token',
        apiUrl: prism.url,
        maxMps: 1,
        statusCallbackUrl: () => 'https://hatch.example.com/twilio/status',
        ...via,
      });
      const sms = { messageId: '6f0a2b9e-1111-4222-8333-944455556666', from: '+15005550006', to: '+15557654321', body: 'Contract check ✓' };
      const result = await sender.send(sms);
      expect(result.providerSid).toMatch(/^SM[0-9a-fA-F]{32}$/);
    }
  });

  it('accepts WhatsApp messages: free text and an approved template by ContentSid and ContentVariables', async () => {
    const sender = new TwilioSmsSender({
      accountSid: ACCOUNT,
      authToken: 'token',
      from: 'whatsapp:+14155238886',
      apiUrl: prism.url,
      maxMps: 1,
      statusCallbackUrl: () => 'https://hatch.example.com/twilio/whatsapp/status',
    });
    const base = { messageId: '6f0a2b9e-1111-4222-8333-944455556667', from: 'whatsapp:+14155238886', to: 'whatsapp:+15557654321' };
    for (const message of [
      { ...base, body: 'Within the window ✓' },
      { ...base, body: 'Hi Dana, your order #2002 has shipped.', template: { sid: `HX${'a1'.repeat(16)}`, variables: { 1: 'Dana', 2: '#2002' } } },
    ]) {
      const result = await sender.send(message);
      expect(result.providerSid).toMatch(/^(SM|MM)[0-9a-fA-F]{32}$/);
    }
  });

  it('accepts the look-up made after an interrupted send', async () => {
    const sender = new TwilioSmsSender({
      accountSid: ACCOUNT,
      authToken: 'token',
      from: '+15005550006',
      apiUrl: prism.url,
      maxMps: 1,
      statusCallbackUrl: () => undefined,
    });
    const sms = { messageId: '6f0a2b9e-1111-4222-8333-944455556666', from: '+15005550006', to: '+15557654321', body: 'x' };
    // Prism judges the request valid, then finds that the spec's own example list response breaks
    // the spec (relative page URIs declared as absolute): that is a 500 about the response, which
    // says our request passed. A request violation would be a 422 about the request.
    const outcome = await sender.findSent(sms, new Date()).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    const last = (sender as unknown as { client: { httpClient: { lastResponse: { statusCode: number; body: unknown } } } }).client.httpClient.lastResponse;
    expect(last.statusCode, outcome).not.toBe(422);
    if (last.statusCode !== 200) {
      const body = (typeof last.body === 'string' ? JSON.parse(last.body) : last.body) as { validation: { location: string[] }[] };
      const locations = body.validation.map((v) => v.location[0]);
      expect(locations.length).toBeGreaterThan(0);
      expect(new Set(locations)).toEqual(new Set(['response']));
    }
  });

  it('has teeth: a request that breaks the contract is refused', async () => {
    const client = createTwilioClient({ accountSid: ACCOUNT, authToken: 'token', apiUrl: prism.url });
    const res = await client.request({ method: 'post', uri: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, data: { Body: 'no To' } });
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.body)).toMatch(/required property 'To'/);
  });

  it('runs the whole send over GraphQL with credentials pointed at Prism', async () => {
    const t = await startTestApp(await createEmbeddedDatabase(undefined), {
      sms: {
        twilio: { accountSid: ACCOUNT, authToken: 'token', from: '+15005550006', apiUrl: prism.url, maxMps: 10 },
        publicUrl: 'https://hatch.example.com',
      },
    });
    try {
      const { body } = await t.gql(`mutation { sendMessage(input: { to: "+15557654321", body: "via the contract" }) { message { id } errors { code } } }`);
      const id = body.data.sendMessage.message.id;
      const m = await eventually(async () => {
        const row = await t.db.prisma.message.findUniqueOrThrow({ where: { id } });
        return row.providerSid ? row : undefined;
      });
      expect(m.status).toBe('SENDING');
      expect(m.errorCode).toBeNull();
    } finally {
      await t.close();
    }
  });
});
