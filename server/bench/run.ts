// `npm run bench`: what a send costs and how fast its event reaches subscribers, each beside a
// baseline measured in the same run on the same machine, so the ratios mean something on a shared,
// noisy 2-core box. Embedded database by default; BENCH_DATABASE_URL for a Postgres server (the
// benchmark creates and drops a database of its own there). Loopback only, bounded in time.
import autocannon from 'autocannon';
import type { Database } from '../db/database.ts';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { createTempPostgres } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const SUBSCRIBERS = 20;
const EVENTS = 100;
const LOAD_SECONDS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function openDb(): Promise<Database> {
  const url = process.env.BENCH_DATABASE_URL;
  return url ? createTempPostgres(url) : createEmbeddedDatabase(undefined);
}

/** Requests per second of one GraphQL operation over HTTP, under `connections` concurrent clients. */
async function load(t: TestApp, body: string | (() => string), connections: number): Promise<{ rps: number; p50: number; errors: number }> {
  const result = await autocannon({
    url: `${t.url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration: LOAD_SECONDS,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: typeof body === 'function' ? body() : body }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, errors: result.errors + result.non2xx };
}

/** Time from a write to its event at every subscriber, and the database's own NOTIFY round trip. */
async function fanOut(t: TestApp): Promise<{ event: number[]; notify: number[] }> {
  const clients = Array.from({ length: SUBSCRIBERS }, () => sseClient(t, 'distinct'));
  const subs = clients.map((c) => subscribe(c, 'subscription { messageUpdated { messageId } }'));
  // Warm up until every subscription is live.
  for (let i = 0; i < 100 && !subs.every((s) => s.events.length > 0); i++) {
    await t.gql('mutation { sendMessage(input: { to: "Warm-up", body: "x" }) { message { id } } }');
    await new Promise((r) => setTimeout(r, 50));
  }
  const event: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const started = performance.now();
    const { body } = await t.gql(`mutation { sendMessage(input: { to: "Bench", body: "event ${i}" }) { message { id } } }`);
    const id = body.data.sendMessage.message.id as string;
    await Promise.all(subs.map((s) => s.until((ev: { messageUpdated: { messageId: string } }[]) => ev.some((e) => e.messageUpdated.messageId === id), 5000)));
    event.push(performance.now() - started);
  }
  subs.forEach((s) => s.dispose());
  clients.forEach((c) => c.dispose());

  // Baseline: the same change (one message row, through the trigger) written with plain SQL, timed
  // to its NOTIFY at a LISTEN on the same database. The server cannot beat this.
  const notify: number[] = [];
  const [conv] = await t.db.query<{ id: string }>(`SELECT id FROM conversations LIMIT 1`);
  let resolveNext: (() => void) | undefined;
  const stop = await t.db.listen('message_changes', () => resolveNext?.());
  for (let i = 0; i < EVENTS; i++) {
    const heard = new Promise<void>((r) => (resolveNext = r));
    const started = performance.now();
    await t.db.query(
      `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) VALUES ($1, 'Operator', 'Bench', 'raw', 'OUTBOUND', 'INTERNAL', 'STORED')`,
      [conv!.id],
    );
    await heard;
    notify.push(performance.now() - started);
  }
  await stop();
  return { event, notify };
}

const db = await openDb();
const t = await startTestApp(db, {}, 0);
const kind = process.env.BENCH_DATABASE_URL ? 'Postgres' : 'embedded';
console.log(`Hatch benchmark on the ${kind} database (${LOAD_SECONDS} s per load run)\n`);
try {
  const { event, notify } = await fanOut(t);
  console.log(`send → event at all ${SUBSCRIBERS} subscribers, ${EVENTS} sends one at a time:`);
  console.log(`  Hatch (GraphQL mutation → trigger → NOTIFY → bridge → SSE): median ${ms(median(event))}, p95 ${ms(p95(event))}`);
  console.log(`  baseline (SQL INSERT → trigger → NOTIFY at a LISTEN):        median ${ms(median(notify))}, p95 ${ms(p95(notify))}`);
  console.log(`  ratio of medians: ${(median(event) / median(notify)).toFixed(1)}×\n`);

  let n = 0;
  const floor = await load(t, JSON.stringify({ query: '{ __typename }' }), 10);
  const stored = await load(t, () => JSON.stringify({ query: `mutation { sendMessage(input: { to: "Load ${n++ % 50}", body: "load" }) { message { id } errors { code } } }` }), 10);
  console.log('sendMessage (stored-only) under 10 concurrent HTTP clients:');
  console.log(`  sendMessage: ${stored.rps.toFixed(0)} req/s, median latency ${stored.p50} ms, errors ${stored.errors}`);
  console.log(`  baseline { __typename } on the same server: ${floor.rps.toFixed(0)} req/s, median latency ${floor.p50} ms`);
  console.log(`  sendMessage throughput is ${((stored.rps / floor.rps) * 100).toFixed(0)}% of the server's floor`);
} finally {
  await t.close();
}
