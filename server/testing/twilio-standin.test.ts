import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  HeaderScopedRequestClient,
  IDEMPOTENCY_HEADER,
  RedirectingRequestClient,
  createTwilioClient,
  withIdempotencyToken,
} from '../modules/channels/twilio-sms/twilio-client.ts';
import { signTwilioRequest, startTwilioStandin, type TwilioStandin } from './twilio-standin.ts';

const ACCOUNT_SID = 'AC' + '0123456789abcdef'.repeat(2);
const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
const FROM = '+15005550006';
const TO = '+15551234567';

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  params: Record<string, string>;
  valid: boolean;
}

/** A webhook endpoint that checks Twilio's signature the way the server will. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const url = base + (req.url ?? '/');
      const signature = req.headers['x-twilio-signature'];
      const valid = typeof signature === 'string' && twilio.validateRequest(AUTH_TOKEN, signature, url, params);
      received.push({ url, headers: req.headers, params, valid });
      res.writeHead(valid ? 200 : 403, { 'Content-Type': 'text/xml' });
      res.end(valid ? '<Response></Response>' : 'invalid signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

let standin: TwilioStandin;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let client: twilio.Twilio;

beforeAll(async () => {
  standin = await startTwilioStandin({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  receiver = await startReceiver();
  client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiUrl: standin.url });
});

afterEach(() => {
  standin.reset();
  standin.clearRecords();
  receiver.received.length = 0;
});

afterAll(async () => {
  await standin.close();
  await receiver.close();
});

describe('message creation through the real twilio library', () => {
  it('answers with a queued Message resource', async () => {
    const message = await client.messages.create({ to: TO, from: FROM, body: 'Hello from Hatch' });

    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.status).toBe('queued');
    expect(message.accountSid).toBe(ACCOUNT_SID);
    expect(message.to).toBe(TO);
    expect(message.from).toBe(FROM);
    expect(message.body).toBe('Hello from Hatch');
    expect(message.direction).toBe('outbound-api');
    expect(message.numSegments).toBe('1');
    expect(message.errorCode).toBeNull();
    expect(message.price).toBeNull();
    expect(message.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(message.dateCreated.getTime())).toBe(false);
    expect(message.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${message.sid}.json`);

    expect(standin.requests).toHaveLength(1);
    const [request] = standin.requests;
    expect(request!.accountSid).toBe(ACCOUNT_SID);
    expect(request!.params).toMatchObject({ To: TO, From: FROM, Body: 'Hello from Hatch' });
    expect(request!.idempotencyToken).toBeUndefined();
    expect(request!.responseStatus).toBe(201);
    expect(standin.messages.get(message.sid)?.status).toBe('queued');
  });

  it('returns exactly the fields of Twilio\'s published Message schema', async () => {
    const contract = fileURLToPath(new URL('../../../shared/contracts/twilio_api_v2010.json', import.meta.url));
    if (!existsSync(contract)) return;
    const schema = JSON.parse(readFileSync(contract, 'utf8')).components.schemas['api.v2010.account.message'];
    const { sid } = await client.messages.create({ to: TO, from: FROM, body: 'schema' });
    const resource = standin.messages.get(sid)!;
    expect(Object.keys(resource).sort()).toEqual(Object.keys(schema.properties).sort());
    for (const [key, prop] of Object.entries<any>(schema.properties)) {
      const value = (resource as unknown as Record<string, unknown>)[key];
      if (value === null) continue;
      if (prop.type === 'string') expect(typeof value, key).toBe('string');
      if (prop.type === 'integer') expect(Number.isInteger(value), key).toBe(true);
      if (prop.pattern) expect(value, key).toMatch(new RegExp(prop.pattern));
    }
  });

  it('uses a Messaging Service when there is no From, and counts segments like Twilio', async () => {
    const serviceSid = 'MG' + 'a'.repeat(32);
    const message = await client.messages.create({ to: TO, messagingServiceSid: serviceSid, body: 'x'.repeat(161) });
    expect(message.status).toBe('accepted');
    expect(message.messagingServiceSid).toBe(serviceSid);
    expect(message.from).toBeNull();
    expect(message.numSegments).toBe('2');
  });

  it('fetches a stored message and 404s an unknown one', async () => {
    const { sid } = await client.messages.create({ to: TO, from: FROM, body: 'fetch me' });
    const fetched = await client.messages(sid).fetch();
    expect(fetched.sid).toBe(sid);
    expect(fetched.body).toBe('fetch me');

    const err = await rejection(client.messages('SM' + '0'.repeat(32)).fetch());
    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err.status).toBe(404);
    expect(err.code).toBe(20404);
  });

  it('rejects invalid requests with Twilio\'s error codes', async () => {
    const noBody = await rejection(client.messages.create({ to: TO, from: FROM }));
    expect(noBody).toMatchObject({ status: 400, code: 21602 });

    const noFrom = await rejection(client.messages.create({ to: TO, body: 'hi' }));
    expect(noFrom).toMatchObject({ status: 400, code: 21603 });

    const badTo = await rejection(client.messages.create({ to: '555-CALL-ME', from: FROM, body: 'hi' }));
    expect(badTo).toMatchObject({ status: 400, code: 21211 });

    // The library refuses to send without `to`, so this one goes over plain HTTP.
    const res = await fetch(`${standin.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
      method: 'POST',
      headers: {
        Authorization: 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ From: FROM, Body: 'hi' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 21604,
      message: "A 'To' phone number is required.",
      more_info: 'https://www.twilio.com/docs/errors/21604',
      status: 400,
    });
    expect(standin.messages.size).toBe(0);
  });

  it('answers 401 with code 20003 for a wrong auth token', async () => {
    const wrong = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: 'wrong', apiUrl: standin.url });
    const err = await rejection(wrong.messages.create({ to: TO, from: FROM, body: 'hi' }));
    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err.status).toBe(401);
    expect(err.code).toBe(20003);
    expect(standin.requests[0]!.responseStatus).toBe(401);
    expect(standin.messages.size).toBe(0);
  });
});

describe('idempotency token', () => {
  it('is sent by the library within withIdempotencyToken, and a repeat returns the same message', async () => {
    const send = () => withIdempotencyToken('send-42', () => client.messages.create({ to: TO, from: FROM, body: 'once' }));
    const first = await send();
    const second = await send();

    expect(second.sid).toBe(first.sid);
    expect(standin.messages.size).toBe(1);
    expect(standin.requests.map((r) => [r.idempotencyToken, r.replayed])).toEqual([
      ['send-42', false],
      ['send-42', true],
    ]);
    expect(standin.requests[0]!.headers[IDEMPOTENCY_HEADER.toLowerCase()]).toBe('send-42');
  });

  it('keeps concurrent scopes apart and adds nothing outside a scope', async () => {
    const sids = await Promise.all(
      ['a', 'b', 'c'].map((token) => withIdempotencyToken(token, () => client.messages.create({ to: TO, from: FROM, body: token }))),
    );
    await client.messages.create({ to: TO, from: FROM, body: 'no token' });

    expect(new Set(sids.map((m) => m.sid)).size).toBe(3);
    const tokenByBody = Object.fromEntries(standin.requests.map((r) => [r.params.Body, r.idempotencyToken]));
    expect(tokenByBody).toEqual({ a: 'a', b: 'b', c: 'c', 'no token': undefined });
  });

  it('lets a retry after a lost response find the message that was created', async () => {
    standin.script({ destroy: true, afterCreate: true });
    const send = () => withIdempotencyToken('lost-1', () => client.messages.create({ to: TO, from: FROM, body: 'retry me' }));

    const err = await rejection(send());
    expect(err).not.toBeInstanceOf(twilio.RestException);
    expect(standin.messages.size).toBe(1);

    const retried = await send();
    expect(retried.sid).toBe([...standin.messages.keys()][0]);
    expect(standin.messages.size).toBe(1);
    expect(standin.requests[1]!.replayed).toBe(true);
  });

  it('works with the non-redirecting client too', async () => {
    const http = new HeaderScopedRequestClient();
    const response = await withIdempotencyToken('direct-1', () =>
      http.request({
        method: 'post',
        uri: `${standin.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
        username: ACCOUNT_SID,
        password: AUTH_TOKEN,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        data: { To: TO, From: FROM, Body: 'direct' },
      }),
    );
    expect(response.statusCode).toBe(201);
    expect(standin.requests[0]!.idempotencyToken).toBe('direct-1');
  });
});

describe('scripted failures', () => {
  it('turns a scripted 400 21211 into a RestException', async () => {
    standin.script({ status: 400, code: 21211, message: "The 'To' number +15551234567 is not a valid phone number." });
    const err = await rejection(client.messages.create({ to: TO, from: FROM, body: 'hi' }));

    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err.status).toBe(400);
    expect(err.code).toBe(21211);
    expect(err.message).toBe("The 'To' number +15551234567 is not a valid phone number.");
    expect(err.moreInfo).toBe('https://www.twilio.com/docs/errors/21211');
    expect(standin.messages.size).toBe(0);
  });

  it('answers 429 and then succeeds', async () => {
    standin.script({ status: 429, code: 20429 });
    const err = await rejection(client.messages.create({ to: TO, from: FROM, body: 'hi' }));
    expect(err).toMatchObject({ status: 429, code: 20429 });

    const message = await client.messages.create({ to: TO, from: FROM, body: 'hi' });
    expect(message.status).toBe('queued');
    expect(standin.requests.map((r) => r.responseStatus)).toEqual([429, 201]);
  });

  it('is retried by the library\'s 429 auto-retry with the same idempotency token', async () => {
    const retrying = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiUrl: standin.url,
      http: { autoRetry: true, maxRetryDelay: 50 },
    });
    standin.script({ status: 429, code: 20429 }, { status: 429, code: 20429 });
    const message = await withIdempotencyToken('auto-1', () => retrying.messages.create({ to: TO, from: FROM, body: 'hi' }));

    expect(message.sid).toMatch(/^SM/);
    expect(standin.requests.map((r) => [r.responseStatus, r.idempotencyToken])).toEqual([
      [429, 'auto-1'],
      [429, 'auto-1'],
      [201, 'auto-1'],
    ]);
  });

  it('answers 500 and 503, and alwaysFail until reset', async () => {
    standin.script({ status: 500 }, { status: 503 });
    expect(await rejection(client.messages.create({ to: TO, from: FROM, body: 'hi' }))).toMatchObject({ status: 500, code: 20500 });
    expect(await rejection(client.messages.create({ to: TO, from: FROM, body: 'hi' }))).toMatchObject({ status: 503, code: 20503 });

    standin.alwaysFail({ status: 503 });
    for (let i = 0; i < 3; i++) {
      expect(await rejection(client.messages.create({ to: TO, from: FROM, body: 'hi' }))).toMatchObject({ status: 503 });
    }
    standin.reset();
    await expect(client.messages.create({ to: TO, from: FROM, body: 'hi' })).resolves.toMatchObject({ status: 'queued' });
  });

  it('fails with a network error when the socket is destroyed', async () => {
    standin.script({ destroy: true });
    const err = await rejection(client.messages.create({ to: TO, from: FROM, body: 'hi' }));
    expect(err).not.toBeInstanceOf(twilio.RestException);
    expect(err.code).toMatch(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/);
    expect(standin.requests[0]!.responseStatus).toBeUndefined();
    expect(standin.messages.size).toBe(0);
  });

  it('delays an answer', async () => {
    standin.script({ delayMs: 150, then: { status: 429 } });
    const started = Date.now();
    const err = await rejection(client.messages.create({ to: TO, from: FROM, body: 'hi' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(err.status).toBe(429);
  });

  it('hangs until the client times out', async () => {
    const impatient = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiUrl: standin.url,
      http: { timeout: 100 },
    });
    standin.script({ hang: true });
    const err = await rejection(impatient.messages.create({ to: TO, from: FROM, body: 'hi' }));
    expect(err.code).toBe('ECONNABORTED');
    expect(standin.requests[0]!.responseStatus).toBeUndefined();
  });

  it('ends hanging requests on close', async () => {
    const own = await startTwilioStandin({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const ownClient = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiUrl: own.url });
    own.script({ hang: true }, { delayMs: 60_000 });
    const hung = rejection(ownClient.messages.create({ to: TO, from: FROM, body: 'hi' }));
    const delayed = rejection(ownClient.messages.create({ to: TO, from: FROM, body: 'hi' }));
    await own.waitForRequests(2);

    const started = Date.now();
    await own.close();
    expect((await hung).code).toBe('ECONNRESET');
    expect((await delayed).code).toBe('ECONNRESET');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(own.messages.size).toBe(0);
  });
});

describe('signed webhooks', () => {
  it('sends a status callback that validates, with the message\'s fields', async () => {
    const callbackUrl = `${receiver.url}/webhooks/twilio/status?tenant=1`;
    const message = await client.messages.create({ to: TO, from: FROM, body: 'hi', statusCallback: callbackUrl });

    expect(await standin.sendStatus(message.sid, 'sent')).toBe(200);
    expect(await standin.sendStatus(message.sid, 'undelivered', { errorCode: 30003 })).toBe(200);

    expect(receiver.received.map((r) => r.valid)).toEqual([true, true]);
    expect(receiver.received[0]!.url).toBe(callbackUrl);
    expect(receiver.received[0]!.params).toEqual({
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: 'sent',
      SmsStatus: 'sent',
      AccountSid: ACCOUNT_SID,
      From: FROM,
      To: TO,
      ApiVersion: '2010-04-01',
    });
    expect(receiver.received[1]!.params).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect(receiver.received[0]!.headers['i-twilio-idempotency-token']).toBeTruthy();

    const stored = standin.messages.get(message.sid)!;
    expect(stored.status).toBe('undelivered');
    expect(stored.error_code).toBe(30003);
    expect(stored.date_sent).not.toBeNull();
  });

  it('produces signatures that fail once the parameters or URL are tampered with', async () => {
    const { sid } = await client.messages.create({ to: TO, from: FROM, body: 'hi' });
    const url = `${receiver.url}/status`;
    expect(await standin.sendStatus(sid, 'delivered', { url })).toBe(200);

    const sent = standin.webhooks[0]!;
    expect(twilio.validateRequest(AUTH_TOKEN, sent.signature, url, sent.params)).toBe(true);
    expect(twilio.validateRequest(AUTH_TOKEN, sent.signature, url, { ...sent.params, MessageStatus: 'failed' })).toBe(false);
    expect(twilio.validateRequest(AUTH_TOKEN, sent.signature, `${receiver.url}/other`, sent.params)).toBe(false);
    expect(twilio.validateRequest('another-token', sent.signature, url, sent.params)).toBe(false);

    // And on the wire: a body changed after signing is refused by the receiver.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': sent.signature },
      body: new URLSearchParams({ ...sent.params, MessageStatus: 'failed' }),
    });
    expect(res.status).toBe(403);
    expect(receiver.received.map((r) => r.valid)).toEqual([true, false]);
  });

  it('sends automatic sent/delivered callbacks in order', async () => {
    const auto = await startTwilioStandin({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      autoCallbacks: ['sent', 'delivered'],
      callbackDelayMs: 5,
    });
    try {
      const autoClient = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiUrl: auto.url });
      const { sid } = await autoClient.messages.create({
        to: TO,
        from: FROM,
        body: 'hi',
        statusCallback: `${receiver.url}/status`,
      });
      await autoClient.messages.create({ to: TO, from: FROM, body: 'no callback' });
      await auto.callbacksSettled();

      expect(receiver.received.map((r) => [r.params.MessageSid, r.params.MessageStatus, r.valid])).toEqual([
        [sid, 'sent', true],
        [sid, 'delivered', true],
      ]);
      expect(auto.messages.get(sid)!.status).toBe('delivered');
    } finally {
      await auto.close();
    }
  });

  it('posts a signed inbound SMS and MMS', async () => {
    const url = `${receiver.url}/webhooks/twilio/inbound`;
    const sms = await standin.sendInbound(url, { From: TO, To: FROM, Body: 'Hi there' });
    expect(sms.status).toBe(200);
    expect(sms.body).toBe('<Response></Response>');

    const mms = await standin.sendInbound(url, {
      From: TO,
      To: FROM,
      Body: '',
      media: [{ url: 'https://example.com/cat.jpg', contentType: 'image/jpeg' }],
    });
    expect(mms.status).toBe(200);

    const [first, second] = receiver.received;
    expect(first!.valid).toBe(true);
    expect(first!.params).toMatchObject({
      AccountSid: ACCOUNT_SID,
      From: TO,
      To: FROM,
      Body: 'Hi there',
      NumMedia: '0',
      NumSegments: '1',
      ApiVersion: '2010-04-01',
    });
    expect(first!.params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(first!.params.SmsSid).toBe(first!.params.MessageSid);
    expect(second!.valid).toBe(true);
    expect(second!.params).toMatchObject({
      NumMedia: '1',
      MediaUrl0: 'https://example.com/cat.jpg',
      MediaContentType0: 'image/jpeg',
    });
    expect(second!.params.MessageSid).toMatch(/^MM[0-9a-f]{32}$/);
  });

  it('exports a signer that agrees with the library\'s validator', () => {
    const url = 'https://hatch.example.com/webhooks/twilio/inbound?x=1';
    const params = { From: TO, To: FROM, Body: 'signed' };
    const signature = signTwilioRequest(AUTH_TOKEN, url, params);
    expect(signature).toBe(twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params));
    expect(twilio.validateRequest(AUTH_TOKEN, signature, url, params)).toBe(true);
  });
});

describe('RedirectingRequestClient', () => {
  it('swaps scheme and host, keeping path and query (and a base path prefix)', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const uri = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=2&To=%2B1555`;
      await new RedirectingRequestClient(base).request({ method: 'get', uri });
      await new RedirectingRequestClient(`${base}/twilio/`).request({ method: 'get', uri });
      expect(seen).toEqual([
        `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=2&To=%2B1555`,
        `/twilio/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=2&To=%2B1555`,
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
