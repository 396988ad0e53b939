import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNext } from '../db/tables/sms-outbox.ts';
import { issueSetupLink } from '../modules/access/setup-link.service.ts';
import { testDatabases } from '../testing/databases.ts';
import { eventually, metricValue, startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';

// Rules that a broken copy of the code once got past the suite with: each here fails when its rule
// is broken (see the comment on each).
describe.each(testDatabases())('rules that must hold under attack and under load, on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    // The app's own outbox worker polls once an hour here, so it cannot take a row the lease test hands its two workers.
    t = await startTestApp(await open(), { sms: { outbox: { pollMs: 3_600_000 } } });
  });
  afterAll(() => t?.close());
  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  // setup-link.service.ts: the link is consumed (deleted) in the transaction that makes the
  // operator; reading it instead would let four requests at once make four operators.
  it('makes one operator when the set-up link is used four times at once', async () => {
    // First in this file: the link exists only while there is no operator yet.
    const operatorsBefore = await count('operators');
    expect(operatorsBefore).toBe(0);
    const secret = (await issueSetupLink(t.db))!;
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        fetch(`${t.url}/auth/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: secret, email: `first${i}@example.com`, name: `First ${i}`, password: TEST_PASSWORD }),
        }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 410, 410, 410]);
    expect(await count('operators')).toBe(operatorsBefore + 1);
  });

  // security.ts: a multipart form post needs no CORS preflight, and a form sends no Origin when
  // the browser leaves it out: the body type alone must refuse it.
  it('refuses a multipart form post that carries the session cookie and no Origin: 415, nothing written', async () => {
    const { cookie } = await t.operator();
    const before = await count('messages');
    const form = new FormData();
    form.set('query', 'mutation{sendMessage(input:{to:"+15557771234",body:"form"}){message{id}}}');
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { cookie }, body: form });
    expect(res.status).toBe(415);
    const legacy = await fetch(`${t.url}/api/send_message`, { method: 'POST', headers: { cookie }, body: form });
    expect(legacy.status).toBe(415);
    expect(await count('messages')).toBe(before);
  });

  // sse/single.ts and the hub: revoking a token ends its operations, delivers nothing more, closes
  // the stream itself, and the subscription gauge comes back.
  it('closes a single-connection stream whose token is revoked; nothing arrives afterwards', async () => {
    const operator = await t.operator();
    const asOperator = { cookie: operator.cookie, origin: t.url };
    const made = await t.gql('mutation { createApiToken(name: "single stream") { token apiToken { id } } }', {}, asOperator);
    const { token, apiToken } = made.body.data.createApiToken;
    const bearer = { authorization: `Bearer ${token}` };
    const activeBefore = await metricValue(t, 'hatch_subscriptions_active');

    const reserved = await fetch(`${t.url}/graphql/stream`, { method: 'PUT', headers: bearer });
    const streamToken = await reserved.text();
    const stream = await fetch(`${t.url}/graphql/stream`, { headers: { ...bearer, accept: 'text/event-stream', 'x-graphql-event-stream-token': streamToken } });
    let text = '';
    let ended = false;
    const reading = (async () => {
      const decoder = new TextDecoder();
      const reader = stream.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      ended = true;
    })().catch(() => (ended = true));
    const operation = await fetch(`${t.url}/graphql/stream`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json', 'x-graphql-event-stream-token': streamToken },
      body: JSON.stringify({ query: 'subscription { messageUpdated { messageId } }', extensions: { operationId: 'op1' } }),
    });
    expect(operation.status).toBe(202);
    await eventually(async () => (await metricValue(t, 'hatch_subscriptions_active')) === activeBefore + 1, 5000, 'the subscription');
    await t.gql('mutation { sendMessage(input: { to: "Single Stream", body: "before" }) { message { id } } }');
    await eventually(async () => text.includes('"messageId"'), 5000, 'an event before revocation');

    await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) { apiToken { revokedAt } } }', { id: apiToken.id }, asOperator);
    await eventually(async () => ended, 5000, 'the stream to close');
    const nextEvents = () => text.split('event: next').length - 1;
    const seen = nextEvents();
    await t.gql('mutation { sendMessage(input: { to: "Single Stream", body: "after" }) { message { id } } }');
    await new Promise((r) => setTimeout(r, 500));
    expect(nextEvents()).toBe(seen);
    expect(text).not.toContain('"after"');
    await eventually(async () => (await metricValue(t, 'hatch_subscriptions_active')) === activeBefore, 5000, 'the gauge to come back');
    await reading;
  });

  // db/tables/sms-outbox.ts: a row leased to one worker is not claimed by another within the lease
  // (dropping the lease_until clause claims it twice).
  it('claims an outbox row once within its lease, whoever asks, and again only after it', async () => {
    await t.db.query('DELETE FROM sms_outbox');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const sent = await t.db.query<{ id: string }>(
        `WITH c AS (INSERT INTO conversations (id, participant_a, participant_b, ours) VALUES (gen_random_uuid(), '+15005550006', $1, '+15005550006') RETURNING id)
         INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) SELECT c.id, '+15005550006', $1, 'lease', 'OUTBOUND', 'SMS', 'QUEUED' FROM c RETURNING id`,
        [`+1555888${String(i).padStart(4, '0')}`],
      );
      ids.push(sent[0]!.id);
    }
    // Rows that are not due yet, then all due at once.
    await t.db.query(`INSERT INTO sms_outbox (message_id, next_attempt_at) SELECT unnest($1::uuid[]), now() + interval '1 hour'`, [ids]);
    await t.db.query(`UPDATE sms_outbox SET next_attempt_at = now() - interval '1 second' WHERE message_id = ANY($1::uuid[])`, [ids]);
    // Two workers at once, each claiming until nothing is left: every row exactly once.
    const worker = async () => {
      const got: string[] = [];
      for (;;) {
        const job = await claimNext(t.db, 60_000);
        if (!job) return got;
        if (ids.includes(job.messageId)) got.push(job.messageId);
      }
    };
    const [a, b] = await Promise.all([worker(), worker()]);
    expect([...a, ...b].sort()).toEqual([...ids].sort());
    expect(await claimNext(t.db, 60_000)).toBeUndefined();
    // Once the lease has run out, the row is taken over (in doubt: the first worker may have sent it).
    await t.db.query(`UPDATE sms_outbox SET lease_until = now() - interval '1 second' WHERE message_id = $1`, [ids[0]]);
    const adopted = await claimNext(t.db, 60_000);
    expect(adopted).toMatchObject({ messageId: ids[0], wasInDoubt: true, attempts: 2 });
    await t.db.query('DELETE FROM sms_outbox WHERE message_id = ANY($1::uuid[])', [ids]);
  });
});
