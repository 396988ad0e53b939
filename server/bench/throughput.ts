// Writes under load. The physical baseline is a plain INSERT of a message row into a copy of the
// table with no triggers; beside it, the same INSERT into `messages` with Hatch's change-feed
// triggers (and the feed's numbering after each, as Hatch does after its own writes), then
// sendMessage over HTTP (autocannon), all at the same concurrency, each client writing to a
// conversation of its own, as many people writing to many customers do. One hot conversation, all
// clients on one row, is measured too: its writes queue behind that row's lock whatever the feed does.
import autocannon from 'autocannon';
import pg from 'pg';
import { summarize } from './stats.ts';

export interface Rate {
  rps: number;
  p95: number;
  errors?: number;
}

export interface Throughput {
  clients: number;
  /** INSERT into a table without triggers. */
  plain: Rate;
  /** INSERT into messages, with the feed's triggers and numbering. */
  raw: Rate;
  /** The same, every client on one conversation. */
  hot: Rate;
  hatch: Rate;
  /** raw / plain: what the triggers cost (1 = nothing). */
  triggers: number;
  /** hatch / raw. */
  ratio: number;
}

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }';
const ROW = `("conversation_id", "from", "to", body, direction, channel, status) VALUES ($1, 'Operator', 'Load', 'load', 'OUTBOUND', 'INTERNAL', 'STORED')`;

/** sendMessage from `clients` connections spread over `urls` (one replica, or several on one database). */
export async function sendLoad(urls: string[], headers: Record<string, string>, clients: number): Promise<Rate> {
  const latencies: number[] = [];
  let n = 0;
  const results = await Promise.all(
    urls.map((url, i) =>
      autocannon({
        url: `${url}/graphql`,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        connections: Math.floor(clients / urls.length) + (i < clients % urls.length ? 1 : 0),
        duration: SECONDS,
        requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ query: SEND, variables: { input: { to: `Load ${n++ % 50}`, body: 'load' } } }) }) }],
        setupClient: (client: any) => client.on('response', (_status: number, _bytes: number, ms: number) => latencies.push(ms)),
      }),
    ),
  );
  const total = results.reduce((sum, r) => sum + r.requests.total, 0);
  const errors = results.reduce((sum, r) => sum + r.errors + r.non2xx, 0);
  // autocannon stops counting at the deadline with requests still in flight; let them finish.
  await new Promise((r) => setTimeout(r, 2000));
  return { rps: total / SECONDS, p95: summarize(latencies).p95, errors };
}

/** INSERTs from `clients` connections for SECONDS; each client on its own conversation unless `hot`. */
async function inserts(pool: pg.Pool, clients: number, table: 'messages' | 'bench_plain_messages', conversations: string[], numbering: boolean): Promise<Rate> {
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const conversation = conversations[i % conversations.length]!;
      while (performance.now() < end) {
        const started = performance.now();
        await pool.query(`INSERT INTO ${table} ${ROW}`, [conversation]);
        if (numbering) await pool.query('SELECT hatch_number_feed()');
        latencies.push(performance.now() - started);
      }
    }),
  );
  return { rps: latencies.length / SECONDS, p95: summarize(latencies).p95 };
}

/** Conversations of the raw writers' own, so that their inserts never queue behind Hatch's on the same row. */
async function conversationsFor(pool: pg.Pool, n: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO conversations (id, participant_a, participant_b, ours)
       SELECT gen_random_uuid(), 'Raw load ' || i, 'Operator', 'Operator' FROM generate_series(1, $1) i RETURNING id`,
    [n],
  );
  return rows.map((r) => r.id);
}

export async function throughput(url: string, headers: Record<string, string>, databaseUrl: string, clients: number): Promise<Throughput> {
  const hatch = await sendLoad([url], headers, clients);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: clients + 2 });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_plain_messages (LIKE messages INCLUDING DEFAULTS INCLUDING INDEXES)');
    const own = await conversationsFor(pool, clients);
    const plain = await inserts(pool, clients, 'bench_plain_messages', own, false);
    const raw = await inserts(pool, clients, 'messages', own, false);
    const hot = await inserts(pool, clients, 'messages', own.slice(0, 1), false);
    return { clients, plain, raw, hot, hatch, triggers: raw.rps / plain.rps, ratio: hatch.rps / raw.rps };
  } finally {
    await pool.end();
  }
}
