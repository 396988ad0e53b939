import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

const TABLES = ['messages', 'conversations', 'message_changes', 'sms_outbox', 'message_status_events', 'contacts', 'message_media'];

// Records the SQL the server really sends (Prisma's and our own) by watching the pg driver's query
// calls; the driver still runs every query. Each one is then EXPLAINed with sequential scans
// disabled: a plan that still scans a table sequentially has no index it could use.
const postgres = testDatabases().find((k) => k.name === 'postgres');

describe.skipIf(!postgres)('query plans on Postgres (set TEST_DATABASE_URL)', () => {
  let t: TestApp;
  const seen = new Map<string, unknown[]>();
  const original = pg.Client.prototype.query;

  beforeAll(async () => {
    t = await startTestApp(await postgres!.open(), { sms: { simulatorStepMs: 20 } });
    // Enough rows that the statistics are not of empty tables.
    await t.db.exec(`
      INSERT INTO conversations (id, participant_a, participant_b, last_message_at)
        SELECT md5(i::text)::uuid, 'Operator', 'Guest ' || i, now() - i * interval '1 minute' FROM generate_series(1, 2000) i;
      INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status, created_at)
        SELECT md5((i % 2000 + 1)::text)::uuid, 'Operator', 'Guest', 'seed ' || i, 'OUTBOUND', 'INTERNAL', 'STORED', now() - i * interval '1 second'
          FROM generate_series(1, 20000) i;
      ANALYZE;`);
    (pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string })?.text;
      const values = Array.isArray(args[1]) ? args[1] : ((first as { values?: unknown[] })?.values ?? []);
      if (text && /^\s*(SELECT|UPDATE|DELETE|WITH)/i.test(text) && TABLES.some((tb) => text.includes(tb))) seen.set(text, values);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  });
  afterAll(async () => {
    pg.Client.prototype.query = original;
    await t?.close();
  });

  it('uses an index for every query on the hot paths', async () => {
    const list = await t.gql(`{ conversations(first: 20) { edges { cursor node { id participants unreadCount lastMessage { body } contacts { optedOut } } } pageInfo { endCursor } } }`);
    const after = list.body.data.conversations.pageInfo.endCursor;
    const guest = list.body.data.conversations.edges[3].node.id;
    await t.gql(`query($after: String) { conversations(first: 20, after: $after) { edges { node { id lastMessage { body } } } } }`, { after });
    const thread = await t.gql(`query($id: ID!) { conversation(id: $id) { messages(last: 50) { edges { node { id body media { url } statusHistory { status } } } pageInfo { startCursor } } } }`, { id: guest });
    await t.gql(`query($id: ID!, $before: String) { conversation(id: $id) { messages(last: 50, before: $before) { edges { node { id } } } } }`, {
      id: guest,
      before: thread.body.data.conversation.messages.pageInfo.startCursor,
    });
    await t.gql(`query($id: ID!) { conversation(id: $id) { messages(first: 20) { edges { node { id } } pageInfo { endCursor } } } }`, { id: guest });
    const sent = await t.gql(`mutation { sendMessage(input: { to: "+15557654321", body: "plan", idempotencyKey: "plan-1" }) { message { id } } }`);
    await t.gql(`mutation { sendMessage(input: { to: "+15557654321", body: "plan", idempotencyKey: "plan-1" }) { message { id } } }`);
    await t.gql(`mutation($id: ID!) { markConversationRead(id: $id) { errors { code } } }`, { id: guest });
    // The inbox's day: open and done lists, search, a thread opened at its unread line, contacts.
    for (const filter of ['OPEN', 'DONE']) {
      const page = await t.gql(`query($f: ConversationFilter) { conversations(first: 20, filter: $f) { edges { node { id contact { displayName optOutNote } participantContacts { name } } } pageInfo { endCursor } } }`, { f: filter });
      expect(page.body.errors).toBeUndefined();
    }
    const found = await t.gql(`{ conversations(first: 20, search: "seed 12") { edges { node { id lastMessage { body } } } pageInfo { endCursor } } }`);
    await t.gql(`query($after: String) { conversations(first: 20, after: $after, search: "guest", filter: OPEN) { edges { node { id } } } }`, { after: found.body.data.conversations.pageInfo.endCursor });
    await t.gql(`{ conversations(first: 20, search: "(555) 765-4321") { edges { node { id } } } }`);
    await t.db.query(`UPDATE conversations SET inbound_count = inbound_count + 3 WHERE id = $1`, [guest]);
    await t.gql(`query($id: ID!) { conversation(id: $id) { unreadCount firstUnread { id } messages(last: 50) { edges { node { id } } } } }`, { id: guest });
    await t.gql(`{ recipient(to: "(555) 765-4321") { kind error { code } } r2: recipient(to: "guest 7") { kind address } }`);
    await t.gql(`mutation { updateContact(input: { address: "+15557654321", name: "Plan" }) { errors { code } } }`);
    for (const name of ['markConversationDone', 'markConversationOpen', 'markConversationUnread']) {
      await t.gql(`mutation($id: ID!) { ${name}(id: $id) { errors { code } } }`, { id: guest });
    }
    await eventually(async () => (await t.db.prisma.message.findUniqueOrThrow({ where: { id: sent.body.data.sendMessage.message.id } })).status === 'DELIVERED');
    expect(list.body.errors).toBeUndefined();

    const client = new pg.Client({ connectionString: await currentUrl(t) });
    await client.connect();
    const bad: string[] = [];
    try {
      await client.query('SET enable_seqscan = off');
      for (const [sql, values] of seen) {
        const plan = (await client.query(`EXPLAIN ${sql}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
        const scans = TABLES.filter((tb) => new RegExp(`Seq Scan on "?${tb}"?\\b`).test(plan));
        if (scans.length) bad.push(`${scans.join(', ')}:\n${sql}\n${plan}`);
      }
    } finally {
      await client.end();
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(bad, bad.join('\n\n')).toEqual([]);
  });
});

async function currentUrl(t: TestApp): Promise<string> {
  const [row] = await t.db.query<{ db: string }>('SELECT current_database() AS db');
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${row!.db}`;
  return url.toString();
}
