import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe, type Subscription } from '../testing/sse.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

// Counts the SQL statements the server sends, by watching the pg driver's query calls (the driver
// still runs each one against real Postgres). What a field needs must be loaded once per event or
// per page, never once per subscriber or per row: the counts below may not grow with either.
const postgres = testDatabases().find((k) => k.name === 'postgres');

const MESSAGE = `id body from to direction channel status segments encoding errorCode errorMessage providerSid
  createdAt updatedAt conversationId sentBy { kind name } media { url contentType } statusHistory { status }`;
const EVERY_FIELD = `subscription { messageUpdated { cursor action messageId conversationId message { ${MESSAGE} } } }`;
const PAGE = `query($first: Int!) { conversations(first: $first) { edges { node {
  id participants unreadCount done lastMessageAt ours channel freeTextUntil
  contact { address name display optedOut optOutNote } contacts { address name } participantContacts { display }
  lastMessage { ${MESSAGE} } firstUnread { id }
} } } }`;

describe.skipIf(!postgres)('queries per event and per page (Postgres)', () => {
  let t: TestApp;
  let count = 0;
  let rowsRead = 0;
  const original = pg.Client.prototype.query;

  beforeAll(async () => {
    t = await startTestApp(await postgres!.open());
    (pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
      count++;
      // Rows are counted from the promise or, as pg-pool calls it, the callback.
      const done = args.at(-1);
      if (typeof done === 'function') {
        args[args.length - 1] = (err: unknown, r: { rows?: unknown[] }) => {
          rowsRead += r?.rows?.length ?? 0;
          return done(err, r);
        };
      }
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      if (result instanceof Promise) void result.then((r: { rows?: unknown[] }) => void (rowsRead += r?.rows?.length ?? 0), () => {});
      return result;
    };
  });
  afterAll(async () => {
    pg.Client.prototype.query = original;
    await t?.close();
  });

  /** Statements sent while `events` messages are sent and reach every one of `n` subscribers. */
  async function perEvents(n: number, events: number): Promise<number> {
    const clients = Array.from({ length: n }, (_, i) => sseClient(t, i % 2 ? 'single' : 'distinct'));
    const subs: Subscription<any>[] = clients.map((c) => subscribe(c, EVERY_FIELD));
    await eventually(async () => {
      await t.gql('mutation { sendMessage(input: { to: "Counting", body: "warm-up" }) { message { id } } }');
      return subs.every((s) => s.events.length > 0);
    }, 20_000, 'every subscriber live');
    await new Promise((r) => setTimeout(r, 300));
    const before = count;
    const ids: string[] = [];
    for (let i = 0; i < events; i++) {
      const { body } = await t.gql(`mutation { sendMessage(input: { to: "Counting", body: "event ${i}" }) { message { id } } }`);
      ids.push(body.data.sendMessage.message.id);
    }
    await Promise.all(subs.map((s) => s.until((ev) => ids.every((id) => ev.some((e) => e.messageUpdated.message?.id === id)), 20_000)));
    const used = count - before;
    subs.forEach((s) => s.dispose());
    clients.forEach((c) => c.dispose());
    return used;
  }

  it('resolves each event once, whether 1 or 100 subscribers (both SSE modes) asked for it', async () => {
    const one = await perEvents(1, 10);
    const hundred = await perEvents(100, 10);
    console.log(`statements for 10 sends and their events: 1 subscriber ${one}, 100 subscribers ${hundred}`);
    // A statement per subscriber would add at least 10 × 99; a few may come from timers (the outbox's poll).
    expect(hundred).toBeLessThanOrEqual(one + 10);
  });

  it('loads a page of conversations in a number of statements that does not grow with its rows', async () => {
    // Stored-only conversations by sending, SMS ones written directly (sending them would start the
    // SMS simulator, whose status updates would be counted too).
    for (let i = 0; i < 15; i++) await t.gql(`mutation { sendMessage(input: { to: "Page guest ${i}", body: "page ${i}" }) { message { id } } }`);
    await t.db.exec(`
      INSERT INTO conversations (id, participant_a, participant_b, ours, last_message_at)
        SELECT md5('page' || i)::uuid, '+1555010' || lpad(i::text, 4, '0'), '+15005550006', '+15005550006', now() + interval '1 minute' + i * interval '1 second'
        FROM generate_series(1, 15) i;
      INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status)
        SELECT md5('page' || i)::uuid, '+1555010' || lpad(i::text, 4, '0'), '+15005550006', 'sms ' || i, 'INBOUND', 'SMS', 'RECEIVED'
        FROM generate_series(1, 15) i;
      INSERT INTO conversations (id, participant_a, participant_b, ours, last_message_at)
        SELECT md5('whatsapp' || i)::uuid, 'whatsapp:+1555020' || lpad(i::text, 4, '0'), 'whatsapp:+15005550006', 'whatsapp:+15005550006', now() + i * interval '1 second'
        FROM generate_series(1, 15) i;
      INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status)
        SELECT md5('whatsapp' || i)::uuid, 'whatsapp:+1555020' || lpad(i::text, 4, '0'), 'whatsapp:+15005550006', 'whatsapp ' || i, 'INBOUND', 'WHATSAPP', 'RECEIVED'
        FROM generate_series(1, 15) i;`);
    const statements = async (first: number) => {
      const before = count;
      const { body } = await t.gql(PAGE, { first });
      expect(body.errors).toBeUndefined();
      expect(body.data.conversations.edges).toHaveLength(first);
      return count - before;
    };
    // The 15 SMS conversations are the newest, then the 15 WhatsApp ones, then stored-only ones:
    // 16 rows hold one WhatsApp conversation, 30 rows fifteen (each with its window to read), 45
    // rows fifteen stored-only ones more.
    await statements(16);
    // The fewest of three: the server's own timers (feed catch-up, snooze check) may land in one.
    const fewest = async (first: number) => Math.min(await statements(first), await statements(first), await statements(first));
    const sixteen = await fewest(16);
    const thirty = await fewest(30);
    const more = await fewest(45);
    console.log(`statements for a page of conversations: 16 rows ${sixteen}, 30 rows ${thirty}, 45 rows ${more}`);
    expect(thirty).toBeLessThanOrEqual(sixteen + 1);
    expect(more).toBeLessThanOrEqual(sixteen + 1);
  });

  it("reads the inbox's page (conversations, their newest messages, the reader's read state) in one statement", async () => {
    const query = '{ conversations(first: 20) { edges { cursor node { id participants unreadCount lastReadAt lastMessageAt lastMessage { id body status } } } pageInfo { hasNextPage endCursor } } }';
    const statements = async () => {
      const before = count;
      const { body } = await t.gql(query);
      expect(body.errors).toBeUndefined();
      expect(body.data.conversations.edges.length).toBeGreaterThan(0);
      return count - before;
    };
    await statements();
    // The fewest of three: the server's own timers (feed catch-up, snooze check) may land in one.
    expect(Math.min(await statements(), await statements(), await statements())).toBe(1);
  });

  it("reads one row per conversation for a page's last messages, however long the threads are", async () => {
    // Two pages of 10 conversations, one with threads of 1 message and one with threads of 200.
    const seed = (prefix: string, perThread: number, offset: number) =>
      t.db.exec(`
        INSERT INTO conversations (id, participant_a, participant_b, ours, last_message_at)
          SELECT md5('${prefix}' || i)::uuid, '${prefix} ' || i, 'Operator', 'Operator', now() + interval '1 day' + (${offset} + i) * interval '1 second'
          FROM generate_series(1, 10) i;
        INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status, created_at)
          SELECT md5('${prefix}' || i)::uuid, '${prefix} ' || i, 'Operator', 'm' || j, 'INBOUND', 'INTERNAL', 'RECEIVED', now() + j * interval '1 ms'
          FROM generate_series(1, 10) i, generate_series(1, ${perThread}) j;`);
    await seed('Short thread', 1, 0);
    await seed('Long thread', 200, 100);
    // The change feed reads the 2,010 new rows' changes meanwhile; count only once it is done.
    for (let last = -1; last !== rowsRead; ) {
      last = rowsRead;
      await new Promise((r) => setTimeout(r, 500));
    }
    const rows = async (after?: string) => {
      const before = rowsRead;
      const { body } = await t.gql(
        'query($after: String) { conversations(first: 10, after: $after) { edges { cursor node { participants lastMessage { body } } } } }',
        { after },
      );
      expect(body.errors).toBeUndefined();
      await new Promise((r) => setTimeout(r, 50));
      return { read: rowsRead - before, edges: body.data.conversations.edges };
    };
    const long = await rows();
    expect(long.edges.map((e: any) => e.node.participants[0])).toEqual(Array.from({ length: 10 }, (_, i) => `Long thread ${10 - i}`));
    expect(long.edges.every((e: any) => e.node.lastMessage.body === 'm200')).toBe(true);
    const short = await rows(long.edges.at(-1).cursor);
    expect(short.edges.every((e: any) => e.node.lastMessage.body === 'm1')).toBe(true);
    console.log(`rows read for a page of 10 conversations: threads of 1 message ${short.read}, of 200 messages ${long.read}`);
    // Reading whole threads would read 2,000 rows for the long page.
    expect(long.read).toBeLessThanOrEqual(short.read + 2);
  });
});
