import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-sse';
import type { AppDeps } from '../app.ts';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrator.ts';
import { createApiToken } from '../modules/access/api-tokens.service.ts';
import { silentLog, testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { eventually, freePort, startTestApp, type TestApp } from '../testing/test-app.ts';
import { signTwilioRequest, startTwilioStandin, type TwilioStandin } from '../testing/twilio-standin.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ACCOUNT = `AC${'1a'.repeat(16)}`;
const TOKEN = 'twilio-test-auth-token';
const OUR_NUMBER = '+15005550006';
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) {
  message { id status segments encoding } errors { field code message } } }`;

describe.each(testDatabases())('SMS through Twilio on the $name database', (kind) => {
  let standin: TwilioStandin;
  beforeAll(async () => {
    standin = await startTwilioStandin({ accountSid: ACCOUNT, authToken: TOKEN });
  });
  afterAll(() => standin?.close());

  /** The server with Twilio credentials, pointed at the stand-in, reachable at its PUBLIC_URL. */
  async function start(db: Database, sms: Partial<NonNullable<AppDeps['sms']>> = {}): Promise<TestApp> {
    const port = await freePort();
    return startTestApp(
      db,
      {
        sms: {
          twilio: { accountSid: ACCOUNT, authToken: TOKEN, from: OUR_NUMBER, apiUrl: standin.url, maxMps: 1000 },
          publicUrl: `http://127.0.0.1:${port}`,
          ...sms,
          outbox: { pollMs: 100, backoffMs: 20, maxBackoffMs: 100, maxAttempts: 3, ...sms.outbox },
        },
      },
      port,
    );
  }

  describe('with one server', () => {
    let t: TestApp;
    const clients: Client<boolean>[] = [];
    beforeAll(async () => {
      t = await start(await kind.open());
    });
    afterAll(async () => {
      clients.forEach((c) => c.dispose());
      await t?.close();
    });
    beforeEach(() => {
      standin.reset();
      standin.clearRecords();
    });

    const send = async (input: Record<string, unknown>) => (await t.gql(SEND, { input })).body.data.sendMessage;
    const message = (id: string) => t.db.prisma.message.findUniqueOrThrow({ where: { id } });
    const reachStatus = (id: string, status: string) =>
      eventually(async () => {
        const m = await message(id);
        return m.status === status && m;
      }, 8000, `status ${status}`);
    const creates = () => standin.requests.filter((r) => !r.replayed);

    it('sends with To, From, Body, StatusCallback and the idempotency token, and follows callbacks to DELIVERED live', async () => {
      const client = sseClient(t, 'distinct');
      clients.push(client);
      const sub = subscribe(client, `subscription { messageUpdated { action messageId message { status providerSid } } }`);
      // Wait until the subscription is live before sending what it must see.
      await eventually(async () => {
        await send({ to: 'Warm-up', body: 'x' });
        return sub.events.length > 0;
      });

      const { message: sent, errors } = await send({ to: '+15557654321', body: 'Your table is ready' });
      expect(errors).toEqual([]);
      const [req] = await standin.waitForRequests(1);
      expect(req!.params).toMatchObject({ To: '+15557654321', From: OUR_NUMBER, Body: 'Your table is ready', StatusCallback: `${t.url}/twilio/status` });
      expect(req!.idempotencyToken).toBe(sent.id);
      const m = await reachStatus(sent.id, 'SENDING');
      expect(await standin.sendStatus(m.providerSid!, 'sent')).toBe(200);
      expect(await standin.sendStatus(m.providerSid!, 'delivered')).toBe(200);
      await reachStatus(sent.id, 'DELIVERED');
      const mine = () => sub.events.map((e) => e.data.messageUpdated).filter((u) => u.messageId === sent.id);
      await eventually(async () => mine().length === 4);
      expect(mine().map((u) => `${u.action}:${u.message.status}`)).toEqual(['INSERT:QUEUED', 'UPDATE:SENDING', 'UPDATE:SENT', 'UPDATE:DELIVERED']);
      sub.dispose();
    });

    it('retries after 429 and sends one SMS', async () => {
      standin.script({ status: 429, code: 20429, message: 'Too Many Requests' });
      const { message: sent } = await send({ to: '+15557654322', body: 'after a 429' });
      const m = await reachStatus(sent.id, 'SENDING');
      expect(standin.requests.map((r) => r.responseStatus)).toEqual([429, 201]);
      expect(standin.messages.size).toBe(1);
      expect([...standin.messages.keys()]).toEqual([m.providerSid]);
    });

    it('gives up after the attempt limit on 500 and marks the message FAILED', async () => {
      standin.alwaysFail({ status: 500 });
      const { message: sent } = await send({ to: '+15557654323', body: 'server errors forever' });
      const m = await reachStatus(sent.id, 'FAILED');
      expect(creates()).toHaveLength(3);
      expect(standin.messages.size).toBe(0);
      expect(m.errorMessage).toBeTruthy();
      expect(await t.db.query('SELECT 1 FROM sms_outbox WHERE message_id = $1', [sent.id])).toHaveLength(0);
    });

    it('fails at once, with the code and a readable reason, on a permanent error', async () => {
      standin.script({ status: 400, code: 21614, message: "To number: +15557654324, is not a mobile number" });
      const { message: sent } = await send({ to: '+15557654324', body: 'to a landline' });
      const m = await reachStatus(sent.id, 'FAILED');
      expect(creates()).toHaveLength(1);
      expect(m).toMatchObject({ errorCode: '21614', errorMessage: 'The number is not a mobile number and cannot receive SMS.' });
    });

    it('marks a number opted out on Twilio error 21610 and refuses the next send', async () => {
      standin.script({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
      const { message: sent } = await send({ to: '+15557654325', body: 'are you there?' });
      await reachStatus(sent.id, 'FAILED');
      const again = await send({ to: '+15557654325', body: 'hello?' });
      expect(again).toMatchObject({ message: null, errors: [{ field: 'to', code: 'OPTED_OUT' }] });
      expect(creates()).toHaveLength(1);
    });

    it('never moves a status backwards, keeps every callback, and survives an unknown status', async () => {
      const { message: sent } = await send({ to: '+15557654326', body: 'out of order' });
      const { providerSid } = await reachStatus(sent.id, 'SENDING');
      for (const s of ['delivered', 'sent', 'sending'] as const) expect(await standin.sendStatus(providerSid!, s)).toBe(200);
      expect(await standin.sendStatus(providerSid!, 'partially_delivered' as never)).toBe(200);
      const m = await message(sent.id);
      expect(m.status).toBe('DELIVERED');
      const { body } = await t.gql(`query($id: ID!) { conversation(id: $id) { messages(last: 1) { edges { node { status statusHistory { status } } } } } }`, {
        id: m.conversationId,
      });
      const node = body.data.conversation.messages.edges[0].node;
      expect(node.statusHistory.map((e: { status: string }) => e.status)).toEqual(['delivered', 'sent', 'sending', 'partially_delivered']);
    });

    it('applies a callback that arrives before the API has answered', async () => {
      standin.script({ answerAfterMs: 400 });
      const { message: sent } = await send({ to: '+15557654327', body: 'fast carrier' });
      const resource = await eventually(async () => [...standin.messages.values()][0]);
      expect(await standin.sendStatus(resource.sid, 'delivered')).toBe(200);
      expect((await message(sent.id)).providerSid).toBeNull(); // the API has not answered yet
      const m = await reachStatus(sent.id, 'DELIVERED');
      expect(m.providerSid).toBe(resource.sid);
    });

    it('stores an undelivered status with its error code and reason', async () => {
      const { message: sent } = await send({ to: '+15557654328', body: 'to nowhere' });
      const { providerSid } = await reachStatus(sent.id, 'SENDING');
      await standin.sendStatus(providerSid!, 'undelivered', { errorCode: 30003 });
      const m = await reachStatus(sent.id, 'UNDELIVERED');
      expect(m).toMatchObject({ errorCode: '30003', errorMessage: 'The handset is unreachable (switched off or out of coverage).' });
    });

    it('sends a 1600-character UCS-2 body whole and counts 24 segments', async () => {
      const body = 'ж'.repeat(1600);
      const { message: sent } = await send({ to: '+15557654329', body });
      expect(sent).toMatchObject({ segments: 24, encoding: 'UCS2' });
      await reachStatus(sent.id, 'SENDING');
      expect(creates()[0]!.params.Body).toBe(body);
    });

    it('stores an inbound SMS with its media once, however often Twilio retries the webhook', async () => {
      const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n;
      const inbound = {
        From: '+15551230000',
        To: OUR_NUMBER,
        Body: 'photo of the leak',
        MessageSid: `SM${'ab'.repeat(16)}`,
        media: [{ url: 'https://api.twilio.com/media/ME1', contentType: 'image/jpeg' }],
      };
      const first = await standin.sendInbound(`${t.url}/twilio/inbound`, inbound);
      expect(first.status).toBe(200);
      expect(first.body).toContain('<Response></Response>');
      expect((await standin.sendInbound(`${t.url}/twilio/inbound`, inbound)).status).toBe(200);
      expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n).toBe(before + 1);
      const { body } = await t.gql(`{ conversations(first: 1) { edges { node { unreadCount lastMessage { body direction status channel media { url contentType } } } } } }`);
      expect(body.data.conversations.edges[0].node).toEqual({
        unreadCount: 1,
        lastMessage: { body: 'photo of the leak', direction: 'INBOUND', status: 'RECEIVED', channel: 'SMS', media: [{ url: 'https://api.twilio.com/media/ME1', contentType: 'image/jpeg' }] },
      });
    });

    it('rejects forged and unsigned webhooks with 403 and stores nothing', async () => {
      const count = async () => (await t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM message_status_events) AS n'))[0]!.n;
      const before = await count();
      const params = { MessageSid: `SM${'cd'.repeat(16)}`, From: '+15551230001', To: OUR_NUMBER, Body: 'forged' };
      const post = (path: string, headers: Record<string, string>) =>
        fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params) });
      expect((await post('/twilio/inbound', {})).status).toBe(403);
      expect((await post('/twilio/inbound', { 'x-twilio-signature': signTwilioRequest('wrong-token', `${t.url}/twilio/inbound`, params) })).status).toBe(403);
      // Signed for another URL (a replay against another endpoint).
      expect((await post('/twilio/inbound', { 'x-twilio-signature': signTwilioRequest(TOKEN, `${t.url}/twilio/status`, params) })).status).toBe(403);
      expect((await post('/twilio/status', { 'x-twilio-signature': 'AAAA' })).status).toBe(403);
      // Tampered body: signed, then changed.
      const signature = signTwilioRequest(TOKEN, `${t.url}/twilio/inbound`, params);
      const tampered = await fetch(`${t.url}/twilio/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams({ ...params, Body: 'changed' }),
      });
      expect(tampered.status).toBe(403);
      expect(await count()).toBe(before);
    });

    it('honours STOP and START from a number, and tells the sender why', async () => {
      const from = '+15551230002';
      const inbound = (Body: string) => standin.sendInbound(`${t.url}/twilio/inbound`, { From: from, To: OUR_NUMBER, Body });
      await inbound('  stop ');
      const refused = await send({ to: from, body: 'special offer' });
      expect(refused).toMatchObject({ message: null, errors: [{ field: 'to', code: 'OPTED_OUT' }] });
      expect(creates()).toHaveLength(0);
      const { body } = await t.gql(`{ conversations(first: 1) { edges { node { contacts { address optedOut } } } } }`);
      expect(body.data.conversations.edges[0].node.contacts).toEqual([
        { address: OUR_NUMBER, optedOut: false },
        { address: from, optedOut: true },
      ]);
      await inbound('Start');
      const { message: sent } = await send({ to: from, body: 'welcome back' });
      await reachStatus(sent.id, 'SENDING');
      expect(creates()).toHaveLength(1);
    });
  });

  describe('across a restart', () => {
    it('sends a message that was committed but never handed over, once', async () => {
      const store = await kind.durable();
      try {
        const db = await store.connect();
        // A server that committed the send and died before its worker ran: the row is in doubt,
        // its lease long gone.
        const t1 = await start(db);
        const { body } = await t1.gql(SEND, { input: { to: '+15557654330', body: 'committed, then crash' } });
        const id = body.data.sendMessage.message.id;
        await t1.close();
        standin.reset();
        standin.clearRecords();
        const db2 = await store.connect();
        await db2.query(`UPDATE messages SET status = 'QUEUED', provider_sid = NULL WHERE id = $1`, [id]);
        await db2.query(`INSERT INTO sms_outbox (message_id, attempts, in_doubt, lease_until) VALUES ($1, 1, true, now() - interval '1 minute')
                         ON CONFLICT (message_id) DO UPDATE SET attempts = 1, in_doubt = true, lease_until = now() - interval '1 minute'`, [id]);
        const t2 = await start(db2);
        try {
          await eventually(async () => (await t2.db.prisma.message.findUniqueOrThrow({ where: { id } })).status === 'SENDING');
          expect(standin.listRequests).toBeGreaterThan(0); // it looked before sending
          expect(standin.requests.filter((r) => r.params.To === '+15557654330')).toHaveLength(1);
        } finally {
          await t2.close();
        }
      } finally {
        await store.drop();
      }
    });

    it('adopts the SMS a killed server had already created, instead of texting twice', async () => {
      const store = await kind.durable();
      let server: ChildProcess | undefined;
      try {
        standin.reset();
        standin.clearRecords();
        // Twilio creates the message, then its answer takes long enough for the server to be killed first.
        standin.script({ answerAfterMs: 3000 });
        // The server process is a program like any other: it needs a token to be sent to.
        const setup = await store.connect();
        await migrate(setup, silentLog);
        const made = await createApiToken(setup, { name: 'crash test', scope: 'send', createdById: null });
        await setup.close();
        if (!made.ok) throw new Error('no token');
        const port = await freePort();
        server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
          cwd: ROOT,
          env: {
            ...process.env,
            ...store.env,
            PORT: String(port),
            HOST: '127.0.0.1',
            LOG_LEVEL: 'silent',
            TWILIO_ACCOUNT_SID: ACCOUNT,
            TWILIO_AUTH_TOKEN: TOKEN,
            TWILIO_PHONE_NUMBER: OUR_NUMBER,
            TWILIO_API_URL: standin.url,
            PUBLIC_URL: `http://127.0.0.1:${port}`,
          },
          stdio: 'ignore',
        });
        const url = `http://127.0.0.1:${port}`;
        await eventually(() => fetch(`${url}/ready`).then((r) => r.ok, () => false), 30_000, 'the server to start');
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${made.token}` },
          body: JSON.stringify({ query: SEND, variables: { input: { to: '+15557654331', body: 'sent just before the crash' } } }),
        });
        const id = (await res.json()).data.sendMessage.message.id;
        await standin.waitForRequests(1);
        server.kill('SIGKILL');
        await new Promise((r) => server!.once('exit', r));

        const db = await store.connect();
        // The dead worker's lease would run out in 30 s; let it have run out.
        await db.query(`UPDATE sms_outbox SET lease_until = now() - interval '1 second'`);
        const t2 = await start(db);
        try {
          const m = await eventually(async () => {
            const row = await t2.db.prisma.message.findUniqueOrThrow({ where: { id } });
            return row.providerSid ? row : undefined;
          }, 8000, 'the message to be adopted');
          expect(standin.messages.size).toBe(1);
          expect(m.providerSid).toBe([...standin.messages.keys()][0]);
          expect(standin.requests.filter((r) => !r.replayed)).toHaveLength(1);
          expect(standin.listRequests).toBeGreaterThan(0);
          expect(await t2.db.query('SELECT 1 FROM sms_outbox')).toHaveLength(0);
        } finally {
          await t2.close();
        }
      } finally {
        if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
        await store.drop();
      }
    });
  });

  describe('behind a proxy and at a public URL', () => {
    let t: TestApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });
    const post = (url: string, signedFor: string, headers: Record<string, string> = {}) => {
      const params = { MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`, From: '+15551230003', To: OUR_NUMBER, Body: 'hi' };
      return fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(TOKEN, signedFor, params), ...headers },
        body: new URLSearchParams(params),
      });
    };

    it('checks signatures against PUBLIC_URL, not the address it was reached at', async () => {
      t = await start(await kind.open(), { publicUrl: 'https://hatch.example.com' });
      expect((await post(`${t.url}/twilio/inbound`, 'https://hatch.example.com/twilio/inbound')).status).toBe(200);
      expect((await post(`${t.url}/twilio/inbound`, `${t.url}/twilio/inbound`)).status).toBe(403);
    });

    it('honours X-Forwarded-Proto/Host only when told to trust the proxy', async () => {
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'inbox.example.org' };
      t = await start(await kind.open(), { publicUrl: undefined, trustProxy: true });
      expect((await post(`${t.url}/twilio/inbound`, 'https://inbox.example.org/twilio/inbound', forwarded)).status).toBe(200);
      await t.close();
      t = await start(await kind.open(), { publicUrl: undefined, trustProxy: false });
      expect((await post(`${t.url}/twilio/inbound`, 'https://inbox.example.org/twilio/inbound', forwarded)).status).toBe(403);
    });
  });
});
