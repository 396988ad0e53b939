import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSignedWebhook, inboundSmsParams } from '../modules/channels/twilio-sms/signed-webhooks.ts';
import { INBOUND_PATH } from '../modules/channels/twilio-sms/webhooks.ts';
import { conversationId, sortParticipants } from '../modules/conversations/conversation-id.ts';
import { writeBatch } from '../modules/legacy/import-batch.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const OURS = '+15005550006';
const CONTACT = '+15553330001';
const SIMULATOR_TOKEN = 'concurrent-writers-token';
// A program reading with raw SQL, as a reader of its own.
const READER = '0000000a-0000-4000-8000-000000000001';

// Every kind of writer at once on one conversation: sends, inbound webhooks, the importer (quiet
// and notifying), raw inserts that lock nothing first, and read-state updates. None may abort with
// "deadlock detected", and the change feed numbers every change once. Meant for Postgres, where the
// writers really run at once; on the embedded database they run one after another.
describe.each(testDatabases())('concurrent writers of every kind on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { sms: { simulatorToken: SIMULATOR_TOKEN } });
  });
  afterAll(() => t?.close());

  it('never deadlock, and every change gets one position', async () => {
    const id = conversationId(OURS, CONTACT);
    const [a, b] = sortParticipants(OURS, CONTACT);
    const send = (i: number) =>
      t.gql('mutation($input: SendMessageInput!){ sendMessage(input: $input){ message { id } errors { code } } }', { input: { to: CONTACT, body: `send ${i}` } });
    const inbound = (i: number) =>
      postSignedWebhook({
        authToken: SIMULATOR_TOKEN,
        postUrl: `${t.url}${INBOUND_PATH}`,
        signedUrl: `${t.url}${INBOUND_PATH}`,
        params: inboundSmsParams({ from: CONTACT, to: OURS, body: `inbound ${i}` }),
      }).then(async (r) => {
        if (r.status >= 300) throw new Error(`inbound ${r.status}: ${await r.text()}`);
      });
    // A program writing straight into the table, without locking the conversation first.
    const raw = (i: number) =>
      t.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO conversations (id, participant_a, participant_b, ours) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
          [id, a, b, OURS],
        );
        await tx.query(`INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) VALUES ($1, $2, $3, $4, 'INBOUND', 'SMS', 'RECEIVED')`, [
          id,
          CONTACT,
          OURS,
          `raw ${i}`,
        ]);
        await tx.query(`INSERT INTO conversation_reads (reader_id, conversation_id, read_count, last_read_at) SELECT $2, id, inbound_count, now() FROM conversations WHERE id = $1 ON CONFLICT (reader_id, conversation_id) DO UPDATE SET read_count = EXCLUDED.read_count, last_read_at = now()`, [id, READER]);
      });
    const imported = (i: number, notify: boolean) =>
      writeBatch(
        t.db,
        [
          {
            id: randomUUID(),
            conversationId: id,
            participantA: a,
            participantB: b,
            ours: OURS,
            from: OURS,
            to: CONTACT,
            body: `imported ${i}`,
            direction: 'OUTBOUND',
            channel: 'SMS',
            status: 'DELIVERED',
            sentByKind: 'SYSTEM',
            sentByName: null,
            createdAt: new Date(Date.now() - 86_400_000).toISOString(),
          },
        ],
        notify,
      );
    const markRead = () => t.gql(`mutation { markConversationRead(id: "${id}") { conversation { unreadCount } } }`);

    const rounds = 6;
    const writers: Promise<unknown>[] = [];
    for (let i = 0; i < rounds; i++) {
      writers.push(send(i), inbound(i), raw(i), imported(i, i % 2 === 0), markRead(), send(100 + i), raw(100 + i));
    }
    const results = await Promise.allSettled(writers);
    const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    for (const r of results) {
      const value = (r as PromiseFulfilledResult<any>).value;
      if (value?.body?.errors) throw new Error(JSON.stringify(value.body.errors));
    }
    const messages = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [id]);
    expect(messages[0]!.n).toBe(rounds * 7 - rounds);

    // Every change recorded is numbered (within the periodic numbering's bound), each once.
    // (Those recorded by now: the simulator's delivery reports keep adding changes meanwhile.)
    const [{ last }] = (await t.db.query<{ last: string }>('SELECT COALESCE(max(id), 0)::text AS last FROM message_changes')) as [{ last: string }];
    const numbered = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_changes WHERE seq IS NULL AND id <= $1', [last]))[0]!.n;
    // The bound is a second; a loaded CI machine is given fifteen.
    const until = Date.now() + 15_000;
    while ((await numbered()) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await numbered()).toBe(0);
    // Changes still being recorded (the simulator's reports) have no position yet: not duplicates.
    const dupes = await t.db.query(
      'SELECT seq FROM message_changes WHERE seq IS NOT NULL GROUP BY seq HAVING count(*) > 1 UNION ALL SELECT seq FROM conversation_changes WHERE seq IS NOT NULL GROUP BY seq HAVING count(*) > 1',
    );
    expect(dupes).toEqual([]);
  }, 60_000);
});
