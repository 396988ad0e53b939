// `npx tsx server/bench/profile-load.ts <what> [clients] [seconds]`: a CPU profile of Hatch under
// one kind of request at a time, taken through its inspector while autocannon keeps `clients`
// requests in flight (default 8, for 6 s). `what` is one of the REQUESTS below; the reads first
// seed 10,000 conversations × 100 messages. Prints the request rate and latency, and the profile's
// widest leaves; the profile itself is written to server/bench/results/profiles/ for a flame graph
// (Chrome's DevTools or speedscope open it).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createScratchDatabase } from '../testing/databases.ts';
import { seed } from './large-data.ts';
import { ensureBuilt, hatchCommand, inspect, PROFILE_DIR, startHatch } from './processes.ts';
import { summarizeProfile } from './profile-summary.ts';
import { sleep } from './stats.ts';

const PAGE = '{ conversations(first: 20) { edges { cursor node { id participants unreadCount lastMessageAt lastMessage { id body direction status createdAt } } } pageInfo { hasNextPage endCursor } } }';
const THREAD = 'query($id: ID!) { conversation(id: $id) { messages(last: 50) { edges { cursor node { id body direction status createdAt from to } } pageInfo { hasPreviousPage startCursor } } } }';
const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }';
const REQUESTS: Record<string, { seeded: boolean; body: (conversationId: string) => unknown }> = {
  typename: { seeded: false, body: () => ({ query: '{ __typename }' }) },
  send: { seeded: false, body: () => ({ query: SEND, variables: { input: { to: 'Load', body: 'load' } } }) },
  page: { seeded: true, body: () => ({ query: PAGE }) },
  thread: { seeded: true, body: (id) => ({ query: THREAD, variables: { id } }) },
};

const [what = '', clientsArg = '8', secondsArg = '6'] = process.argv.slice(2);
const request = REQUESTS[what];
if (!request) throw new Error(`usage: profile-load.ts <${Object.keys(REQUESTS).join('|')}> [clients] [seconds]`);
const seconds = Number(secondsArg);

ensureBuilt();
const db = await createScratchDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'hatch_bench');
try {
  const env = { DATABASE_URL: db.url };
  hatchCommand(['dist/server/cli/db-migrate.js'], env);
  const token = hatchCommand(['dist/server/cli/admin.js', 'token:create', '--name', 'profile', '--scope', 'send'], env);
  if (request.seeded) await seed(db.url, 10_000, 100);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const conversationId = (await client.query<{ id: string }>('SELECT id FROM conversations ORDER BY last_message_at DESC LIMIT 1')).rows[0]?.id ?? '';
  await client.end();
  const hatch = await startHatch(env);
  try {
    const load = (duration: number) =>
      autocannon({
        url: `${hatch.url}/graphql`,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(request.body(conversationId)),
        connections: Number(clientsArg),
        duration,
      });
    await load(2); // warm-up: JIT, pools, caches
    const session = await inspect(hatch);
    await session.call('Profiler.enable');
    await session.call('Profiler.setSamplingInterval', { interval: 200 });
    await session.call('Profiler.start');
    const result = await load(seconds);
    const { profile } = await session.call<{ profile: unknown }>('Profiler.stop');
    session.close();
    mkdirSync(PROFILE_DIR, { recursive: true });
    const file = path.join(PROFILE_DIR, `${what}-${clientsArg}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`${what}, ${clientsArg} clients: ${Math.round(result.requests.average)} req/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx + result.errors} errors\n`);
    console.log(summarizeProfile(file));
    await sleep(100);
  } finally {
    await hatch.stop();
  }
} finally {
  await db.drop();
}
