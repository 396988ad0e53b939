import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { refuseAddress } from '../lib/ip-address.ts';
import { hostname } from 'node:os';
import { refuseUrl } from '../modules/webhooks/address-guard.ts';
import { postDelivery, signedHeaders } from '../modules/webhooks/delivery-http.ts';
import { testConfig } from '../testing/config.ts';
import { silentLog, testDatabases } from '../testing/databases.ts';
import { createPostgresDatabase } from '../db/postgres.ts';
import { canRunThrowawayPostgres, startThrowawayPostgres } from '../testing/throwaway-postgres.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { startReceiver } from '../testing/webhook-receiver.ts';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id url events enabled } secret errors { code field message } } }`;
const UPDATE = `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { endpoint { enabled disabledReason } errors { code } } }`;
const SEND = `mutation($to: String!, $body: String!) { sendMessage(input: { to: $to, body: $body }) { message { id } errors { code } } }`;
const LOG = `query { webhookEndpoints { id enabled disabledReason failingSince deliveries(first: 50) { edges { node { webhookId eventType status attempts lastStatusCode lastResponse lastError } } } } }`;

/** Tests' webhooks may reach this machine's loopback over http; the rules are tested on their own below. */
const network = { allowHttp: true, allowPrivate: ['127.0.0.1'] };
const times = { everyMs: 50, retryMs: [100, 200, 300], disableAfterMs: 60_000, timeoutMs: 1_000 };

async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(testDatabases())('outbound webhooks on the $name database', ({ name: dbName, open, durable }) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    t = await startTestApp(await open(), { config: { ...testConfig(), webhooks: network }, webhookTimes: times });
    const ana = await t.operator(`ana.webhooks.${dbName}@example.com`);
    admin = { cookie: ana.cookie, origin: t.url };
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const create = async (input: Record<string, unknown>) => (await t.gql(CREATE, { input }, admin)).body.data.createWebhookEndpoint;
  const send = async (to: string, body: string) => expect((await t.gql(SEND, { to, body })).body.data.sendMessage.errors).toEqual([]);
  const log = async (id: string) => ((await t.gql(LOG, {}, admin)).body.data.webhookEndpoints as any[]).find((e) => e.id === id);

  it('delivers each new message once, in order, signed so the standardwebhooks library accepts it', async () => {
    const made = await create({ url: receiver.url, events: ['MESSAGE_CREATED'], description: 'CRM' });
    expect(made.errors).toEqual([]);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.knows(made.secret);
    for (let i = 1; i <= 5; i++) await send(`Webhook desk ${dbName}`, `hook ${i}`);
    const got = await until(() => receiver.accepted.filter((r) => r.body.data?.message?.body?.startsWith('hook ')), (a) => a.length >= 5);
    expect(got.map((r) => r.body.data.message.body)).toEqual(['hook 1', 'hook 2', 'hook 3', 'hook 4', 'hook 5']);
    expect(got.every((r) => r.verified && r.type === 'message.created')).toBe(true);
    expect(new Set(got.map((r) => r.id)).size).toBe(5);
    expect(got[0]!.body.data.message).toMatchObject({ to: `Webhook desk ${dbName}`, channel: 'INTERNAL', direction: 'OUTBOUND' });
    // The cursor in each is the feed's: increasing, and what a replay starts after.
    const cursors = got.map((r) => BigInt(r.body.data.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => (a < b ? -1 : 1)));

    // Tampered with, or replayed later than the library allows: refused there.
    const one = got[0]!;
    const wh = new Webhook(made.secret);
    expect(() => wh.verify(one.raw.replace('hook 1', 'hook X'), one.headers)).toThrow();
    const old = signedHeaders([made.secret], one.id, new Date(Date.now() - 10 * 60_000), one.raw);
    expect(() => wh.verify(one.raw, old)).toThrow();

    // A replay from the first one's cursor sends the four after it again, with their ids.
    const replay = await t.gql('mutation($id: ID!, $after: String!) { replayWebhookEvents(id: $id, after: $after) { queued errors { code } } }', { id: made.endpoint.id, after: one.body.data.cursor }, admin);
    expect(replay.body.data.replayWebhookEvents).toEqual({ queued: 4, errors: [] });
    const again = await until(() => receiver.accepted.filter((r) => r.body.data?.message?.body?.startsWith('hook ')), (a) => a.length >= 9);
    expect(again.slice(5).map((r) => r.id)).toEqual(got.slice(1).map((r) => r.id));
    for (const after of ['x', '-1', '0'.repeat(30)]) {
      const bad = await t.gql('mutation($id: ID!, $after: String!) { replayWebhookEvents(id: $id, after: $after) { queued errors { code } } }', { id: made.endpoint.id, after }, admin);
      expect(bad.body.data.replayWebhookEvents, after).toEqual({ queued: 0, errors: [{ code: 'INVALID_CURSOR' }] });
    }
    await t.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { errors { code } } }', { id: made.endpoint.id }, admin);
  });

  it('tries a failing delivery again with the same id, sends nothing after it meanwhile, and logs what it got', async () => {
    const made = await create({ url: receiver.url, events: ['MESSAGE_CREATED'] });
    receiver.knows(made.secret);
    receiver.answer({ kind: 'status', status: 503, body: 'x'.repeat(5000) });
    await send(`Retry desk ${dbName}`, 'first');
    await send(`Retry desk ${dbName}`, 'second');
    const failing = await until(() => receiver.attempts.filter((r) => r.body.data?.message?.body === 'first'), (a) => a.length >= 3);
    expect(new Set(failing.map((r) => r.id)).size).toBe(1);
    expect(receiver.attempts.some((r) => r.body.data?.message?.body === 'second')).toBe(false);
    const logged = await log(made.endpoint.id);
    expect(logged.failingSince).not.toBeNull();
    const first = logged.deliveries.edges.map((e: any) => e.node).find((d: any) => d.status === 'PENDING' && d.attempts >= 2);
    expect(first).toMatchObject({ lastStatusCode: 503, lastError: null });
    expect(first.lastResponse).toHaveLength(1024);

    // No answer within the time limit, then a redirect: failures too, never followed.
    receiver.answer({ kind: 'hang' });
    const hung = await until(() => log(made.endpoint.id), (e) => e.deliveries.edges.some((x: any) => x.node.lastError?.startsWith('No answer within 1 s')));
    expect(hung.deliveries.edges.some((x: any) => x.node.lastError?.startsWith('No answer within 1 s'))).toBe(true);
    receiver.answer({ kind: 'status', status: 302 });
    await until(() => log(made.endpoint.id), (e) => e.deliveries.edges.some((x: any) => x.node.lastStatusCode === 302));

    receiver.answer({ kind: 'ok' });
    const both = await until(() => receiver.accepted.filter((r) => ['first', 'second'].includes(r.body.data?.message?.body)), (a) => a.length >= 2);
    expect(both.map((r) => r.body.data.message.body)).toEqual(['first', 'second']);
    expect(both[0]!.id).toBe(failing[0]!.id);
    const healed = await until(() => log(made.endpoint.id), (e) => e.failingSince === null);
    expect(healed.failingSince).toBeNull();
    await t.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { errors { code } } }', { id: made.endpoint.id }, admin);
  });

  it('signs with both secrets for a day after a rotation, and sends a test event on request', async () => {
    const made = await create({ url: receiver.url, events: ['MESSAGE_STATUS_CHANGED'] });
    const rotated = (await t.gql('mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { previousSecretActive } errors { code } } }', { id: made.endpoint.id }, admin)).body.data.rotateWebhookSecret;
    expect(rotated.secret).not.toBe(made.secret);
    expect(rotated.endpoint.previousSecretActive).toBe(true);
    receiver.knows(made.secret);
    expect((await t.gql('mutation($id: ID!) { sendTestWebhookEvent(id: $id) { errors { code } } }', { id: made.endpoint.id }, admin)).body.data.sendTestWebhookEvent.errors).toEqual([]);
    const test = await until(() => receiver.accepted.filter((r) => r.type === 'webhook.test' && r.body.data.endpointId === made.endpoint.id), (a) => a.length >= 1);
    expect(test[0]!.verified).toBe(true);
    expect(test[0]!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(rotated.secret).verify(test[0]!.raw, test[0]!.headers)).not.toThrow();
    await t.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { errors { code } } }', { id: made.endpoint.id }, admin);
  });

  it('refuses URLs it must not reach and bad fields, writing nothing; admins only', async () => {
    const strict = await startTestApp(await open(), { config: { ...testConfig(), webhooks: { allowHttp: false, allowPrivate: [] } }, webhookTimes: times });
    try {
      const bob = await strict.operator(`bob.webhooks.${dbName}@example.com`);
      const as = { cookie: bob.cookie, origin: strict.url };
      const count = async () => Number((await strict.db.query<{ n: string }>('SELECT count(*) AS n FROM webhook_endpoints'))[0]!.n);
      const before = await count();
      const refused = [
        'http://example.com/hooks',
        'https://127.0.0.1/x',
        'https://localhost/x',
        'https://api.localhost/x',
        'https://10.0.0.8/x',
        'https://172.16.5.4/x',
        'https://192.168.1.10/x',
        'https://169.254.169.254/latest/meta-data',
        'https://100.64.0.1/x',
        'https://0.0.0.0/x',
        'https://[::1]/x',
        'https://[fe80::1]/x',
        'https://[fd00::1]/x',
        'https://[::ffff:127.0.0.1]/x',
        'https://[::ffff:a9fe:a9fe]/x',
        'ftp://example.com/x',
        'not a url',
        'https://user:pw@example.com/x',
        `https://example.com/${'x'.repeat(2100)}`,
      ];
      for (const url of refused) {
        const out = (await strict.gql(CREATE, { input: { url, events: ['MESSAGE_CREATED'] } }, as)).body.data.createWebhookEndpoint;
        expect(out.errors.map((e: any) => e.code), url).toEqual(['INVALID_URL']);
      }
      const fields = (await strict.gql(CREATE, { input: { url: 'https://example.com/x', events: [], description: 'two\nlines' } }, as)).body.data.createWebhookEndpoint;
      expect(fields.errors.map((e: any) => e.code).sort()).toEqual(['INVALID_DESCRIPTION', 'INVALID_EVENTS']);
      expect(await count()).toBe(before);

      // A name that resolves to a loopback address (this machine's own name does, by /etc/hosts)
      // passes the URL check and is refused where the connection is made; the receiver hears nothing.
      const named = receiver.url.replace('127.0.0.1', hostname());
      expect(refuseUrl(named, { allowHttp: true, allowPrivate: [] })).toBeUndefined();
      const heard = receiver.attempts.length;
      const attempt = await postDelivery(named, {}, '{}', { allowHttp: true, allowPrivate: [] }, 1000);
      expect(attempt).toMatchObject({ ok: false, status: null });
      expect('error' in attempt && attempt.error).toMatch(/is a loopback address/);
      expect(receiver.attempts.length).toBe(heard);
      // Allowed by WEBHOOK_ALLOW_PRIVATE, the same name is reached.
      expect(await postDelivery(named, {}, '{}', { allowHttp: true, allowPrivate: ['127.0.0.0/8'] }, 1000)).toMatchObject({ ok: true, status: 204 });

      // Agents and programs may not manage webhooks.
      const agent = await strict.operator(`agent.webhooks.${dbName}@example.com`, undefined, 'Agent', 'AGENT');
      for (const who of [{ cookie: agent.cookie, origin: strict.url }, strict.headers]) {
        const res = await strict.gql(CREATE, { input: { url: 'https://example.com/x', events: ['MESSAGE_CREATED'] } }, who);
        expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect((await strict.gql('{ webhookEndpoints { id } }', {}, who)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      expect(await count()).toBe(before);
    } finally {
      await strict.close();
    }
  });

  it('knows public addresses from the others', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'nonsense']) {
      expect(refuseAddress(a, { allowPrivate: [] }), a).toBeDefined();
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(refuseAddress(a, { allowPrivate: [] }), a).toBeUndefined();
    expect(refuseAddress('10.0.0.5', { allowPrivate: ['10.0.0.0/8'] })).toBeUndefined();
    expect(refuseAddress('10.0.0.5', { allowPrivate: ['10.0.0.6'] })).toBeDefined();
    expect(refuseAddress('::ffff:10.0.0.5', { allowPrivate: ['10.0.0.0/24'] })).toBeUndefined();
  });

  it('disables an endpoint that keeps failing, and sends what waited once it is enabled again', async () => {
    const quick = await startTestApp(await open(), { config: { ...testConfig(), webhooks: network }, webhookTimes: { ...times, disableAfterMs: 500 } });
    try {
      const cara = await quick.operator(`cara.webhooks.${dbName}@example.com`);
      const as = { cookie: cara.cookie, origin: quick.url };
      const quickLog = async (id: string) => ((await quick.gql(LOG, {}, as)).body.data.webhookEndpoints as any[]).find((e) => e.id === id);
      const made = (await quick.gql(CREATE, { input: { url: receiver.url, events: ['MESSAGE_CREATED'] } }, as)).body.data.createWebhookEndpoint;
      receiver.knows(made.secret);
      receiver.answer({ kind: 'status', status: 500 });
      await quick.gql(SEND, { to: `Disable desk ${dbName}`, body: 'while it fails' });
      const off = await until(() => quickLog(made.endpoint.id), (e) => e.enabled === false);
      expect(off.disabledReason).toMatch(/^Disabled after failing since .* UTC; last: HTTP 500$/);
      receiver.answer({ kind: 'ok' });
      const tries = receiver.attempts.length;
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.attempts.length).toBe(tries);
      expect((await quick.gql(UPDATE, { input: { id: made.endpoint.id, enabled: true } }, as)).body.data.updateWebhookEndpoint).toEqual({ endpoint: { enabled: true, disabledReason: null }, errors: [] });
      const sent = await until(() => receiver.accepted.filter((r) => r.body.data?.message?.body === 'while it fails'), (a) => a.length === 1);
      expect(sent).toHaveLength(1);
    } finally {
      await quick.close();
    }
  });

  it('tells an endpoint, once, of the events the feed no longer kept when it was enabled again', async () => {
    const app = await startTestApp(await open(), { config: { ...testConfig(), webhooks: network }, webhookTimes: times });
    const receiver4 = await startReceiver();
    try {
      const eve = await app.operator(`eve.webhooks.${dbName}@example.com`);
      const as = { cookie: eve.cookie, origin: app.url };
      const made = (await app.gql(CREATE, { input: { url: receiver4.url, events: ['MESSAGE_CREATED'] } }, as)).body.data.createWebhookEndpoint;
      receiver4.knows(made.secret);
      const from = (await app.db.query<{ position: string }>('SELECT position::text AS position FROM webhook_endpoints WHERE id = $1', [made.endpoint.id]))[0]!.position;
      await app.gql(UPDATE, { input: { id: made.endpoint.id, enabled: false } }, as);
      for (const body of ['lost 1', 'lost 2']) await app.gql(SEND, { to: 'Retention desk', body });
      // What retention does after HATCH_CHANGE_RETENTION: the changes go, and the feed says how far.
      const head = await until(async () => (await app.db.query<{ n: string }>('SELECT COALESCE(max(seq), 0)::text AS n FROM message_changes'))[0]!.n, (n) => BigInt(n) > BigInt(from));
      await app.db.query('DELETE FROM message_changes WHERE seq <= $1', [head]);
      await app.db.query('UPDATE feed_retention SET pruned_through = $1 WHERE id = 1', [head]);
      await app.gql(UPDATE, { input: { id: made.endpoint.id, enabled: true } }, as);
      await app.gql(SEND, { to: 'Retention desk', body: 'kept' });
      const got = await until(() => receiver4.accepted, (a) => a.length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver4.accepted.map((r) => r.type)).toEqual(['webhook.events_missed', 'message.created']);
      expect(got[0]!.body.data).toEqual({ after: from, through: head });
      expect(got[0]!.verified).toBe(true);
      expect(got[1]!.body.data.message.body).toBe('kept');
    } finally {
      await app.close();
      await receiver4.close();
    }
  });

  it('tells of conversations assigned, done, reopened and snoozed, notes added and contacts changed, in feed order, only as asked', async () => {
    const made = await create({ url: receiver.url, events: ['CONVERSATION_ASSIGNED', 'CONVERSATION_DONE', 'CONVERSATION_REOPENED', 'CONVERSATION_SNOOZED', 'NOTE_ADDED', 'CONTACT_CHANGED'] });
    expect(made.errors).toEqual([]);
    receiver.knows(made.secret);
    const notesOnly = await startReceiver();
    const others = await create({ url: notesOnly.url, events: ['NOTE_ADDED'], description: 'notes only' });
    notesOnly.knows(others.secret);
    const number = dbName === 'postgres' ? '+15557010001' : '+15557010002';
    const sent = (await t.gql(`mutation { sendMessage(input: { to: "${number}", body: "hello" }) { message { conversationId } errors { code } } }`, {}, admin)).body.data.sendMessage;
    expect(sent.errors).toEqual([]);
    const id = sent.message.conversationId;
    const me = (await t.gql('query { viewer { operatorId } }', {}, admin)).body.data.viewer.operatorId;
    const ok = async (query: string, vars: Record<string, unknown> = {}) => {
      const res = (await t.gql(query, { id, ...vars }, admin)).body;
      expect(res.errors, query).toBeUndefined();
      expect((Object.values(res.data)[0] as any).errors, query).toEqual([]);
    };
    const until2 = new Date(Date.now() + 3_600_000).toISOString();
    await ok('mutation($id: ID!, $a: ID) { assignConversation(id: $id, assigneeId: $a) { errors { code } } }', { a: me });
    await ok('mutation($id: ID!) { addNote(input: { conversationId: $id, body: "Called them back" }) { errors { code } } }');
    await ok('mutation($id: ID!, $u: DateTime) { snoozeConversation(id: $id, until: $u) { errors { code } } }', { u: until2 });
    await ok('mutation($id: ID!) { markConversationDone(id: $id) { errors { code } } }');
    await ok(`mutation { updateContact(input: { address: "${number}", name: "Dana Scully", notes: "Prefers mornings" }) { errors { code } } }`);
    await ok('mutation($id: ID!) { markConversationOpen(id: $id) { errors { code } } }');
    await ok('mutation($id: ID!, $a: ID) { assignConversation(id: $id, assigneeId: $a) { errors { code } } }', { a: null });
    // Something no endpoint asked for (a message) and a change that is none of these events (the
    // contact's new name touching the conversation) make no delivery.
    const mine = () => receiver.accepted.filter((r) => r.body.data?.conversation?.id === id || r.body.data?.contact?.address === number);
    const got = await until(mine, (a) => a.length >= 7);
    await new Promise((r) => setTimeout(r, 300));
    const seen = mine();
    expect(seen.map((r) => r.type)).toEqual([
      'conversation.assigned',
      'note.added',
      'conversation.snoozed',
      'conversation.done',
      'contact.changed',
      'conversation.reopened',
      'conversation.assigned',
    ]);
    expect(got.every((r) => r.verified)).toBe(true);
    const [assigned, note] = seen;
    expect(assigned!.body.data).toMatchObject({ conversation: { id, assignee: { id: me, name: expect.any(String) } }, previousAssigneeId: null });
    expect(note!.body.data.note).toMatchObject({ body: 'Called them back', author: { kind: 'OPERATOR', id: me } });
    // The endpoint that asked for notes only got the note alone, under the same event id.
    const noted = await until(() => notesOnly.accepted, (a) => a.length >= 1);
    expect(noted.map((r) => [r.type, r.id, r.verified])).toEqual([['note.added', seen[1]!.id, true]]);
    await notesOnly.close();
    expect(seen[2]!.body.data.conversation.snoozedUntil).toBe(until2);
    expect(seen[6]!.body.data).toMatchObject({ conversation: { assignee: null }, previousAssigneeId: me });
    expect(seen[4]!.body.data.contact).toMatchObject({ address: number, name: 'Dana Scully', notes: 'Prefers mornings', optedOut: false });
    const cursors = seen.map((r) => BigInt(r.body.data.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => (a < b ? -1 : 1)));
    // Each event once.
    expect(new Set(seen.map((r) => r.id)).size).toBe(7);

    // A replay from before them sends them again, with their ids.
    const before = (BigInt(seen[0]!.body.data.cursor) - 1n).toString();
    const replay = await t.gql('mutation($id: ID!, $after: String!) { replayWebhookEvents(id: $id, after: $after) { queued errors { code } } }', { id: made.endpoint.id, after: before }, admin);
    expect(replay.body.data.replayWebhookEvents).toEqual({ queued: 7, errors: [] });
    const again = await until(mine, (a) => a.length >= 14);
    expect(again.slice(7).map((r) => r.id)).toEqual(seen.map((r) => r.id));

    // Erasing the contact forgets every delivery that named them or their conversation.
    await ok(`mutation { eraseContact(address: "${number}") { errors { code } } }`);
    const left = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_deliveries WHERE payload::text LIKE '%Scully%' OR payload::text LIKE $1 OR payload::text LIKE '%Called them back%'`, [`%${number}%`]);
    expect(Number(left[0]!.n)).toBe(0);
    expect(Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM contact_changes WHERE "row"::text LIKE '%Scully%' OR address = $1`, [number]))[0]!.n)).toBe(0);
    for (const e of [made, others]) await t.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { errors { code } } }', { id: e.endpoint.id }, admin);
  });

  it('misses nothing across a restart: what happened while it was down goes out after', async () => {
    const store = await durable();
    const receiver2 = await startReceiver();
    let app = await startTestApp(await store.connect(), { config: { ...testConfig(), webhooks: network }, webhookTimes: times });
    try {
      const boss = await app.operator(`boss.webhooks.${dbName}@example.com`);
      const made = (await app.gql(CREATE, { input: { url: receiver2.url, events: ['MESSAGE_CREATED'] } }, { cookie: boss.cookie, origin: app.url })).body.data.createWebhookEndpoint;
      receiver2.knows(made.secret);
      receiver2.answer({ kind: 'status', status: 500 });
      await app.gql(SEND, { to: 'Restart desk', body: 'before the restart' });
      await until(() => receiver2.attempts.length, (n) => n >= 1);
      await app.close();
      receiver2.answer({ kind: 'ok' });
      app = await startTestApp(await store.connect(), { config: { ...testConfig(), webhooks: network }, webhookTimes: times });
      await app.gql(SEND, { to: 'Restart desk', body: 'after the restart' });
      const got = await until(() => receiver2.accepted, (a) => a.length >= 2);
      expect(got.map((r) => r.body.data.message.body)).toEqual(['before the restart', 'after the restart']);
      expect(got.every((r) => r.verified)).toBe(true);
    } finally {
      await app.close();
      await receiver2.close();
      await store.drop();
    }
  });

  it.runIf(dbName === 'postgres')('delivers each event once with two replicas on one database, in order', async () => {
    const store = await durable();
    const one = await startTestApp(await store.connect(), { config: { ...testConfig(), webhooks: network }, webhookTimes: times });
    const replica = await startTestApp(await store.connect(), { config: { ...testConfig(), webhooks: network }, webhookTimes: times });
    const receiver3 = await startReceiver();
    try {
      const dan = await one.operator(`dan.webhooks@example.com`);
      const made = (await one.gql(CREATE, { input: { url: receiver3.url, events: ['MESSAGE_CREATED'] } }, { cookie: dan.cookie, origin: one.url })).body.data.createWebhookEndpoint;
      receiver3.knows(made.secret);
      const bodies = Array.from({ length: 30 }, (_, i) => `replicas ${i}`);
      for (const [i, body] of bodies.entries()) await (i % 2 ? replica : one).gql(SEND, { to: 'Replica desk', body });
      const got = await until(() => receiver3.attempts, (a) => a.length >= 30);
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver3.attempts.map((r) => r.body.data.message.body)).toEqual(bodies);
      expect(new Set(got.map((r) => r.id)).size).toBe(30);
    } finally {
      await one.close();
      await replica.close();
      await receiver3.close();
      await store.drop();
    }
  });
});

describe('outbound webhooks across a Postgres restart', () => {
  it.skipIf(!canRunThrowawayPostgres())('misses no event and keeps their order when Postgres restarts while they are written and sent', async () => {
    const pg = await startThrowawayPostgres();
    const app = await startTestApp(createPostgresDatabase(pg.url, silentLog), { config: { ...testConfig(), webhooks: network }, webhookTimes: times });
    const hooks = await startReceiver();
    try {
      const eve = await app.operator('eve.webhooks@example.com');
      const made = (await app.gql(CREATE, { input: { url: hooks.url, events: ['MESSAGE_CREATED'] } }, { cookie: eve.cookie, origin: app.url })).body.data.createWebhookEndpoint;
      hooks.knows(made.secret);
      let restart: Promise<void> | undefined;
      for (let i = 0; i < 60; i++) {
        // A client that retries with the same idempotency key until the server takes it.
        for (;;) {
          const res = await app.gql(`mutation($i: String!, $b: String!) { sendMessage(input: { to: "Restart hooks", body: $b, idempotencyKey: $i }) { message { id } } }`, { i: `hook-${i}`, b: `pg ${i}` }).catch(() => undefined);
          if (res?.body?.data?.sendMessage?.message?.id) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        if (i === 20) restart = pg.restart();
      }
      await restart;
      const firsts = () => [...new Map(hooks.accepted.map((r) => [r.id, r.body.data.message.body as string])).values()];
      const got = await until(firsts, (a) => a.length >= 60, 30_000);
      // Each at least once (a delivery whose answer was lost to the restart goes again, same id),
      // and in order of first arrival.
      expect(got).toEqual(Array.from({ length: 60 }, (_, i) => `pg ${i}`));
      expect(hooks.accepted.every((r) => r.verified)).toBe(true);
    } finally {
      await app.close();
      await hooks.close();
      pg.destroy();
    }
  }, 120_000);
});
