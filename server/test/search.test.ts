import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTerms } from '../modules/conversations/conversation-search.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const SEARCH = `query($s: String, $filter: ConversationFilter, $first: Int, $after: String, $last: Int, $before: String) {
  conversations(search: $s, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { participants contact { displayName } lastMessage { body } } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`;

describe('what a search looks for', () => {
  it('reads numbers whatever their formatting, and message words as prefixes', () => {
    expect(searchTerms('(555) 987-6543', 'US').digits).toEqual(['5559876543', '15559876543']);
    expect(searchTerms('+1 555 987 6543', 'US').digits).toEqual(['15559876543']);
    expect(searchTerms('987-6543', 'US').digits).toEqual(['9876543']);
    expect(searchTerms('07700 900123', 'GB').digits).toEqual(['07700900123', '447700900123']);
    expect(searchTerms('Towels please', 'US')).toMatchObject({ digits: [], tsquery: "'towels':* & 'please':*" });
    // One character is a whole word, never a prefix of half the inbox; punctuation is no word.
    expect(searchTerms('guest 0', 'US').tsquery).toBe("'guest':* & '0'");
    expect(searchTerms('%_\\', 'US')).toEqual({ pattern: '%\\%\\_\\\\%', digits: [], tsquery: null });
    expect(searchTerms('مرحبا שלום', 'US').tsquery).toBe("'مرحبا':* & 'שלום':*");
  });
});

describe.each(testDatabases())('searching conversations on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
    const send = (input: Record<string, string>) => t.gql(`mutation($input: SendMessageInput!) { sendMessage(input: $input) { errors { code } } }`, { input });
    await send({ to: '+15559876543', body: 'Your table for two is ready' });
    await send({ to: '+15551110000', body: 'Extra towels are on their way' });
    await send({ to: 'Housekeeping', body: 'Room 12 needs fresh towels' });
    await send({ to: 'Front desk', body: 'Late checkout for room 4' });
    await send({ to: 'Bob', from: 'Alice', body: 'Hello Bob' });
    await t.gql(`mutation { updateContact(input: { address: "+15551110000", name: "Dana Scully" }) { errors { code } } }`);
  });
  afterAll(() => t?.close());

  const search = async (s: string, vars: Record<string, unknown> = {}) => (await t.gql(SEARCH, { s, first: 20, ...vars })).body;
  const names = async (s: string, vars: Record<string, unknown> = {}) =>
    (await search(s, vars)).data.conversations.edges.map((e: { node: { contact: { displayName: string } | null; participants: string[] } }) => e.node.contact?.displayName ?? e.node.participants.join(' & '));

  it('finds a number however it is written', async () => {
    for (const s of ['(555) 987-6543', '+1 555 987 6543', '987-6543', '5559876543', 'tel:+15559876543', '+1\u2011555\u2011987\u20116543']) {
      expect(await names(s), s).toEqual(['+1 555-987-6543']);
    }
  });

  it('finds words of messages, as prefixes, in any case', async () => {
    expect(await names('towel')).toEqual(['Housekeeping', 'Dana Scully']);
    expect(await names('TABLE two')).toEqual(['+1 555-987-6543']);
    expect(await names('towels room')).toEqual(['Housekeeping']);
  });

  it("finds a contact's name, and never our own side", async () => {
    expect(await names('scully')).toEqual(['Dana Scully']);
    expect(await names('Operator')).toEqual([]);
    expect(await names('+15005550006')).toEqual([]);
    expect(await names('0006')).toEqual([]);
    // Where Alice sends, Alice is our side: only Bob is a hit.
    expect(await names('alice')).toEqual([]);
    expect(await names('bob')).toEqual(['Bob']);
  });

  it('pages through results both ways, and honours the done filter', async () => {
    const first = (await search('o', { first: 2 })).data.conversations;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await search('o', { first: 20, after: first.pageInfo.endCursor })).data.conversations;
    const all = (await search('o', { first: 20 })).data.conversations.edges.map((e: { cursor: string }) => e.cursor);
    expect([...first.edges, ...rest.edges].map((e: { cursor: string }) => e.cursor)).toEqual(all);
    const back = (await search('o', { first: undefined, last: 2, before: all.at(-1) })).data.conversations;
    expect(back.edges.map((e: { cursor: string }) => e.cursor)).toEqual(all.slice(-3, -1));

    const [house] = (await t.db.query<{ id: string }>(`SELECT id FROM conversations WHERE participant_a = 'Housekeeping' OR participant_b = 'Housekeeping'`));
    await t.gql(`mutation($id: ID!) { markConversationDone(id: $id) { errors { code } } }`, { id: house!.id });
    expect(await names('towel', { filter: 'OPEN' })).toEqual(['Dana Scully']);
    expect(await names('towel', { filter: 'DONE' })).toEqual(['Housekeeping']);
    // A cursor this list never gave is an error, as without a search, not a failed query.
    const odd = await search('x', { after: 'bm90IGEgY3Vyc29y' });
    expect(odd.errors[0].message).toMatch(/Invalid cursor/);
  });
});

// EXPLAINed with sequential scans off, as query-plans.test.ts does: a plan that still scans a table
// has no index to use. Seeded enough that the planner weighs real statistics.
const postgres = testDatabases().find((k) => k.name === 'postgres');

describe.skipIf(!postgres)('the search query plan on Postgres', () => {
  let t: TestApp;
  const seen: [string, unknown[]][] = [];
  const original = pg.Client.prototype.query;
  beforeAll(async () => {
    t = await startTestApp(await postgres!.open());
    await t.db.exec(`
      INSERT INTO conversations (id, participant_a, participant_b, ours, last_message_at)
        SELECT md5(i::text)::uuid, 'Operator', 'Guest ' || i, 'Operator', now() - i * interval '1 minute' FROM generate_series(1, 5000) i;
      INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status, created_at)
        SELECT md5((i % 5000 + 1)::text)::uuid, 'Operator', 'Guest', 'seed message number ' || i || ' about ' || (ARRAY['towels','breakfast','parking','checkout'])[i % 4 + 1],
               'OUTBOUND', 'INTERNAL', 'STORED', now() - i * interval '1 second'
          FROM generate_series(1, 50000) i;
      INSERT INTO contacts (address, name) SELECT 'Guest ' || i, 'Named guest ' || i FROM generate_series(1, 500) i;
      ANALYZE;`);
    (pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string })?.text;
      if (text && /^\s*SELECT/.test(text) && text.includes('to_tsquery')) seen.push([text, Array.isArray(args[1]) ? args[1] : []]);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  });
  afterAll(async () => {
    pg.Client.prototype.query = original;
    await t?.close();
  });

  it('uses an index for every table it reads', async () => {
    for (const s of ['towels', 'named guest 42', '(555) 987-6543']) {
      for (const filter of ['ALL', 'OPEN']) expect((await search(s, filter)).errors, s).toBeUndefined();
    }
    const page = await search('breakfast', 'OPEN');
    await t.gql(SEARCH, { s: 'breakfast', first: 20, after: page.data.conversations.pageInfo.endCursor });
    expect(seen.length).toBeGreaterThanOrEqual(7);

    const [{ db }] = (await t.db.query<{ db: string }>('SELECT current_database() AS db')) as [{ db: string }];
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${db}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const bad: string[] = [];
    try {
      await client.query('SET enable_seqscan = off');
      for (const [sql, values] of seen) {
        const plan = (await client.query(`EXPLAIN ${sql}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
        if (/Seq Scan on (conversations|messages|contacts)\b/.test(plan)) bad.push(`${sql}\n${plan}`);
        expect(plan).toMatch(/messages_body_search_idx/);
      }
      if (process.env.SHOW_PLANS) {
        await client.query('SET enable_seqscan = on');
        const [sql, values] = seen[0]!;
        console.log((await client.query(`EXPLAIN ANALYZE ${sql}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
    } finally {
      await client.end();
    }
    expect(bad, bad.join('\n\n')).toEqual([]);
  });

  const search = async (s: string, filter: string) => (await t.gql(SEARCH, { s, filter, first: 20 })).body;
});
