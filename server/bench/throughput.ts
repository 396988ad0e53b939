// sendMessage under 1, 8 and 32 concurrent HTTP clients (autocannon), beside the same row written
// by raw `pg` with the same triggers at the same concurrency: the ratio is what GraphQL, validation,
// idempotency and authorisation cost on top of the write itself.
import autocannon from 'autocannon';
import pg from 'pg';
import { summarize } from './stats.ts';

export interface Throughput {
  clients: number;
  hatch: { rps: number; p95: number; errors: number };
  raw: { rps: number; p95: number };
  ratio: number;
}

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }';

async function hatch(url: string, headers: Record<string, string>, clients: number) {
  const latencies: number[] = [];
  let n = 0;
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    connections: clients,
    duration: SECONDS,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ query: SEND, variables: { input: { to: `Load ${n++ % 50}`, body: 'load' } } }) }) }],
    setupClient: (client: any) => client.on('response', (_status: number, _bytes: number, ms: number) => latencies.push(ms)),
  });
  return { rps: result.requests.total / SECONDS, p95: summarize(latencies).p95, errors: result.errors + result.non2xx };
}

async function raw(databaseUrl: string, clients: number) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: clients });
  // A conversation of its own, so these inserts never queue behind Hatch's on the same row.
  const { id } = (
    await pool.query<{ id: string }>(
      `INSERT INTO conversations (id, participant_a, participant_b, ours) VALUES (gen_random_uuid(), 'Raw load', 'Operator', 'Operator')
       ON CONFLICT (id) DO NOTHING RETURNING id`,
    )
  ).rows[0]!;
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await pool.query(
          `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) VALUES ($1, 'Operator', 'Load', 'load', 'OUTBOUND', 'INTERNAL', 'STORED')`,
          [id],
        );
        latencies.push(performance.now() - started);
      }
    }),
  );
  await pool.end();
  return { rps: latencies.length / SECONDS, p95: summarize(latencies).p95 };
}

export async function throughput(url: string, headers: Record<string, string>, databaseUrl: string, clients: number): Promise<Throughput> {
  const h = await hatch(url, headers, clients);
  // autocannon stops counting at the deadline with requests still in flight; let them finish.
  await new Promise((r) => setTimeout(r, 2000));
  const r = await raw(databaseUrl, clients);
  return { clients, hatch: h, raw: r, ratio: h.rps / r.rps };
}
