// The hot-path reads with 10,000 conversations and 1,000,000 messages loaded: seeded in one
// statement each with triggers off (the change feed need not hold history the bench never reads),
// then sequential requests per query (one at a time, from autocannon: a client lean enough that
// its own time and garbage collection stay out of a 10 ms p99), beside `{ __typename }` on the same
// server (the floor of a GraphQL request) and the same page as one SQL query through raw `pg`
// (the floor of the data).
import { Agent, request as httpRequest } from 'node:http';
import autocannon from 'autocannon';
import pg from 'pg';
import { summarize } from './stats.ts';

export interface ReadTimes {
  conversations: number;
  messages: number;
  seedSeconds: number;
  queries: Record<string, { p50: number; p99: number }>;
  /** EXPLAIN ANALYZE of the hot paths' SQL at this size, to show they stay on their indexes. */
  plans: Record<string, string>;
}

const PLANS: Record<string, string> = {
  'first page of conversations, with last messages and read state (the statement the list runs)': `SELECT c.id, m.id AS last_message, r.read_count FROM conversations c
     LEFT JOIN LATERAL (SELECT * FROM messages WHERE conversation_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1) m ON true
     LEFT JOIN conversation_reads r ON r.reader_id = '00000000-0000-0000-0000-000000000000' AND r.conversation_id = c.id
     ORDER BY c.last_message_at DESC, c.id DESC LIMIT 21`,
  'next page (keyset)': `SELECT id FROM conversations WHERE (last_message_at, id) < (SELECT last_message_at, id FROM conversations ORDER BY last_message_at DESC, id DESC OFFSET 500 LIMIT 1) ORDER BY last_message_at DESC, id DESC LIMIT 21`,
  'last message of 20 conversations': `SELECT m.id FROM (SELECT id FROM conversations ORDER BY last_message_at DESC, id DESC LIMIT 20) c CROSS JOIN LATERAL (SELECT id FROM messages WHERE conversation_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1) m`,
  "a thread's last 50 messages": `SELECT id, body FROM messages WHERE conversation_id = (SELECT id FROM conversations ORDER BY last_message_at DESC LIMIT 1 OFFSET 300) ORDER BY created_at DESC, id DESC LIMIT 51`,
};

export async function explain(databaseUrl: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const plans: Record<string, string> = {};
    for (const [name, sql] of Object.entries(PLANS)) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`);
      plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
    }
    return plans;
  } finally {
    await client.end();
  }
}

export async function seed(databaseUrl: string, conversations: number, perConversation: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    await client.query(`SET session_replication_role = replica`);
    await client.query(
      // Three received and never read by anyone: each has a few unread (the unread line).
      `INSERT INTO conversations (id, participant_a, participant_b, ours, last_message_at, inbound_count)
       SELECT gen_random_uuid(), '+1555' || lpad(i::text, 7, '0'), 'Operator', 'Operator', now() - make_interval(secs => i), 3
       FROM generate_series(1, $1) i`,
      [conversations],
    );
    await client.query(
      `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status, created_at, updated_at)
       SELECT c.id,
              CASE WHEN m % 2 = 0 THEN c.participant_a ELSE 'Operator' END,
              CASE WHEN m % 2 = 0 THEN 'Operator' ELSE c.participant_a END,
              'message ' || m || ' about order ' || (c.n * 7 + m) % 100000,
              CASE WHEN m % 2 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END::"MessageDirection",
              'INTERNAL', CASE WHEN m % 2 = 0 THEN 'RECEIVED' ELSE 'STORED' END::"MessageStatus",
              c.last_message_at - make_interval(secs => $1 - m), c.last_message_at - make_interval(secs => $1 - m)
       FROM (SELECT id, participant_a, last_message_at, row_number() OVER () AS n FROM conversations WHERE participant_a LIKE '+1555%') c,
            generate_series(1, $1) m`,
      [perConversation],
    );
    await client.query(`SET session_replication_role = origin`);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  const seconds = (performance.now() - started) / 1000;
  await settle(databaseUrl);
  return seconds;
}

/**
 * Brings a freshly bulk-loaded database to the state a million messages gathered over months
 * would be in: vacuumed (the visibility map lets index-only scans skip the table) and
 * checkpointed, so the reads measured next do not share the disk with a checkpoint writing out
 * the load, or with autovacuum discovering it.
 */
async function settle(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE) conversations, messages');
    // Needs a superuser (or pg_checkpoint); without, the reads just share the disk a while longer.
    await client.query('CHECKPOINT').catch(() => {});
  } finally {
    await client.end();
  }
}

async function time(n: number, request: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  // Untimed first: each kind of request's first runs compile its code paths (and fill the pools).
  for (let i = 0; i < 20; i++) await request();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await request();
    ms.push(performance.now() - started);
  }
  const { p50, p99 } = summarize(ms);
  return { p50, p99 };
}

/** One POST over `agent`'s kept-alive connection, resolved when its whole answer has arrived. */
function postOnce(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url.pathname}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Each of `bodies` in turn, `n` times each, timed to the microsecond on one kept-alive connection:
 * a ratio of their p99s is then not moved by drift between two runs, nor by a millisecond clock
 * (autocannon's), whose one step is a fifth of a 5 ms p99.
 */
export async function alternating(url: string, headers: Record<string, string>, bodies: string[], n: number): Promise<{ p50: number; p99: number }[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL('/graphql', url);
  const times: number[][] = bodies.map(() => []);
  try {
    for (let i = 0; i < 20; i++) for (const body of bodies) await postOnce(agent, target, headers, body);
    for (let i = 0; i < n; i++) {
      // Which goes first changes each round, so none always follows another's garbage.
      for (let j = 0; j < bodies.length; j++) {
        const k = (i + j) % bodies.length;
        const started = performance.now();
        await postOnce(agent, target, headers, bodies[k]!);
        times[k]!.push(performance.now() - started);
      }
    }
  } finally {
    agent.destroy();
  }
  return times.map((t) => {
    const { p50, p99 } = summarize(t);
    return { p50, p99 };
  });
}

export const FIRST_PAGE = '{ conversations(first: 20) { edges { cursor node { id participants unreadCount lastMessageAt lastMessage { id body direction status createdAt } } } pageInfo { hasNextPage endCursor } } }';
/** The two rows the first-page target compares. */
export const PAGE_ALTERNATING = 'first page, alternating with { __typename }';
export const TYPENAME_ALTERNATING = '{ __typename }, alternating with the first page';
/**
 * The floor of any page through the API: the same 20 conversations' ids alone, one SQL statement
 * and nothing per row, timed in the same rounds.
 */
export const IDS_PAGE = '{ conversations(first: 20) { edges { node { id } } } }';
export const IDS_ALTERNATING = "the page's ids alone (one SQL statement), alternating with both";

export async function reads(url: string, headers: Record<string, string>, databaseUrl: string, n = 200): Promise<ReadTimes['queries']> {
  const post = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });
  const gql = async (body: string) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    const json = (await res.json()) as { data?: any; errors?: unknown[] };
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  };
  const page = await gql(post('{ conversations(first: 100) { edges { node { id } } } }'));
  const ids: string[] = page.conversations.edges.map((e: { node: { id: string } }) => e.node.id);
  /** `n` requests one after another, after 20 untimed ones; every answer checked once first. */
  const http = async (body: (i: number) => string) => {
    await gql(body(0));
    let i = 0;
    const run = (amount: number) =>
      autocannon({
        url: `${url}/graphql`,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        connections: 1,
        amount,
        requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: body(i++) }) }],
      });
    await run(20);
    const result = await run(n);
    if (result.non2xx || result.errors) throw new Error(`${result.non2xx + result.errors} failed requests`);
    return { p50: result.latency.p50, p99: result.latency.p99 };
  };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [page, typename, idsAlone] = await alternating(url, headers, [post(FIRST_PAGE), post('{ __typename }'), post(IDS_PAGE)], n * 4);
    return {
      [TYPENAME_ALTERNATING]: typename!,
      [PAGE_ALTERNATING]: page!,
      [IDS_ALTERNATING]: idsAlone!,
      '{ __typename }': await http(() => post('{ __typename }')),
      'conversations(first: 20) with lastMessage': await http(() => post(FIRST_PAGE)),
      'the same page, one SQL query (raw pg)': await time(n, () =>
        client.query(
          `SELECT c.id, c.participant_a, c.participant_b, c.inbound_count, c.last_message_at, m.id AS mid, m.body, m.direction, m.status, m.created_at
           FROM conversations c CROSS JOIN LATERAL (SELECT * FROM messages WHERE conversation_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1) m
           ORDER BY c.last_message_at DESC, c.id DESC LIMIT 21`,
        ),
      ),
      'a thread: messages(last: 50)': await http((i) =>
        post('query($id: ID!) { conversation(id: $id) { messages(last: 50) { edges { cursor node { id body direction status createdAt from to } } pageInfo { hasPreviousPage startCursor } } } }', { id: ids[i % ids.length] }),
      ),
      'unread lines: firstUnread on a page of 20': await http(() => post('{ conversations(first: 20) { edges { node { id unreadCount firstUnread { id createdAt } } } } }')),
      'search by number: "(555) 000-4321"': await http(() => post('{ conversations(first: 20, search: "(555) 000-4321") { edges { node { id } } } }')),
      'search by word: "order 4242"': await http(() => post('{ conversations(first: 20, search: "order 4242") { edges { node { id } } } }')),
    };
  } finally {
    await client.end();
  }
}
