// `npm run bench`: Hatch under load on real Postgres, every figure beside the reference server
// (server/bench/reference/) measured in the same run on the same machine, so the ratios mean
// something on a shared, noisy box. BENCH_DATABASE_URL names the Postgres server (default the
// local one); the benchmark creates its databases there and drops them. BENCH_QUICK=1 runs the
// same steps at a small size (what the test suite does to keep this command working).
// The report is written to server/bench/results/ as JSON and Markdown. `npm run bench -- commands`
// times only the commands and `npm start` (commands.ts; BENCH_COMMAND_RUNS runs of each, default
// 10), into results/commands.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../testing/databases.ts';
import { FanOut, type Idle, type Latency, type Target } from './fan-out.ts';
import { hatchTarget, referenceTarget } from './targets.ts';
import { manyRun, writeManyReport } from './many.ts';
import { explain, IDS_ALTERNATING, PAGE_ALTERNATING, reads, seed, TYPENAME_ALTERNATING } from './large-data.ts';
import { commandsMarkdown, commandsRun, writeCommandsReport } from './commands.ts';
import { collectGarbage, ensureBuilt, ROOT, hatchCommand, LoadGenerator, rssOf, startHatch, startReference, type Server } from './processes.ts';
import { writeReport, type Report } from './report.ts';
import { sleep } from './stats.ts';
import { sendLoad, throughput } from './throughput.ts';
import { startPresenceLoad } from './presence.ts';
import { startWebhookLoad } from './webhooks.ts';
import type { PresenceCost, WebhookCost } from './report.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Subscriber counts and the send rate at each: the issue's two loads, 1k × 100/s and 10k × 10/s.
const STEPS: { subscribers: number; rate?: number }[] = QUICK
  ? [{ subscribers: 50, rate: 20 }, { subscribers: 100 }, { subscribers: 200, rate: 10 }]
  : [{ subscribers: 1000, rate: 100 }, { subscribers: 5000 }, { subscribers: 10000, rate: 10 }];
const SECONDS = QUICK ? 2 : 10;
const GENERATORS = QUICK ? 1 : 4;

const createDatabase = () => createScratchDatabase(ADMIN_URL, 'hatch_bench');

/** Idle memory at each step and latency at the steps that have a rate, for one target. */
async function subscribersRun(target: Target, generators: LoadGenerator[]): Promise<{ idle: Idle[]; latency: Latency[]; failed?: string }> {
  const fan = new FanOut(target, generators);
  const idle: Idle[] = [];
  const latency: Latency[] = [];
  let failed: string | undefined;
  for (const step of STEPS) {
    try {
      idle.push(await fan.openTo(step.subscribers));
    } catch (err) {
      // Reported, not fatal: the other runs still say what they measured.
      failed = `${step.subscribers} subscribers: ${(err as Error).message}`;
      console.log(`  ${target.name} ${target.mode}: FAILED at ${failed}`);
      break;
    }
    if (step.rate) latency.push(await fan.measure(step.rate, SECONDS));
    console.log(`  ${target.name} ${target.mode}: ${step.subscribers} subscribers${step.rate ? `, p99 ${latency.at(-1)!.p99} ms` : ''}`);
  }
  await fan.close();
  await sleep(failed ? 10_000 : 1000);
  return { idle, latency, ...(failed ? { failed } : {}) };
}

/**
 * Message latency at the first step's load before, while and after operators type in one
 * conversation: what presence costs the messages (before and after bracket the run's noise).
 */
async function presenceRun(target: Target, generators: LoadGenerator[], databaseUrl: string): Promise<PresenceCost> {
  const step = STEPS[0]!;
  const fan = new FanOut(target, generators);
  await fan.openTo(step.subscribers);
  const res = await fetch(`${target.server.url}/graphql`, {
    method: 'POST',
    headers: { ...target.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { sendMessage(input: { to: "Presence bench", body: "here" }) { message { conversationId } } }' }),
  });
  const conversationId = ((await res.json()) as { data: { sendMessage: { message: { conversationId: string } } } }).data.sendMessage.message.conversationId;
  // A first run warms the server up (its JIT, its pools): not reported.
  await fan.measure(step.rate!, Math.max(1, SECONDS / 2));
  const before = await fan.measure(step.rate!, SECONDS);
  const load = await startPresenceLoad(target.server.url, databaseUrl, conversationId, QUICK ? 10 : 100);
  await sleep(3000);
  const during = await fan.measure(step.rate!, SECONDS);
  const figures = { reportsPerSecond: load.reportsPerSecond, eventsPerSecond: load.eventsPerSecond, refused: load.refused, latency: load.latency };
  await load.stop();
  await sleep(1000);
  const after = await fan.measure(step.rate!, SECONDS);
  await fan.close();
  // The same typing with no message load: how soon a change is seen when the server is not busy.
  const quiet = await startPresenceLoad(target.server.url, databaseUrl, conversationId, QUICK ? 10 : 100);
  await sleep(QUICK ? 3000 : 8000);
  const idleLatency = quiet.latency;
  await quiet.stop();
  console.log(`  presence: message p99 ${before.p99} → ${during.p99} → ${after.p99} ms; ${Math.round(figures.reportsPerSecond)} reports/s, presence p99 ${Math.round(figures.latency.p99)} ms under load, ${Math.round(idleLatency.p99)} ms idle`);
  return { operators: load.operators, before, during, after, ...figures, idleLatency };
}

/**
 * Message latency at the first step's load before, while and after webhook endpoints take every
 * new message: what delivering them costs the live subscribers, and how soon each delivery arrives.
 */
async function webhooksRun(target: Target, generators: LoadGenerator[], databaseUrl: string): Promise<WebhookCost> {
  const step = STEPS[0]!;
  const fan = new FanOut(target, generators);
  await fan.openTo(step.subscribers);
  await fan.measure(step.rate!, Math.max(1, SECONDS / 2));
  const before = await fan.measure(step.rate!, SECONDS);
  const load = await startWebhookLoad(databaseUrl, QUICK ? 2 : 5);
  await fan.measure(step.rate!, Math.max(1, SECONDS / 2));
  load.mark();
  const during = await fan.measure(step.rate!, SECONDS);
  const figures = { deliveriesPerSecond: load.deliveriesPerSecond, latency: load.latency };
  const { missing } = await load.stop();
  await sleep(1000);
  const after = await fan.measure(step.rate!, SECONDS);
  await fan.close();
  console.log(`  webhooks: message p99 ${before.p99} → ${during.p99} → ${after.p99} ms; ${Math.round(figures.deliveriesPerSecond)} deliveries/s, delivery p99 ${Math.round(figures.latency.p99)} ms, ${missing} missing, ${load.doubled} doubled`);
  return { endpoints: load.endpoints, before, during, after, ...figures, missing, doubled: load.doubled };
}

/** Hatch on the embedded database in a fresh folder, then started again on the folder it made. */
async function idleEmbedded(): Promise<{ first: number; again: number; floor: number; startMs: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hatch-bench-'));
  try {
    const measure = async () => {
      const server = await startHatch({ HATCH_DATA_DIR: dir, DATABASE_URL: '' });
      await sleep(2000);
      const rssBytes = rssOf(server.pid);
      await server.stop();
      return { rssBytes, startMs: server.startMs };
    };
    const first = await measure();
    const again = await measure();
    const floor = Number(execFileSync(process.execPath, ['server/bench/pglite-floor.mjs', dir], { cwd: ROOT, encoding: 'utf8' }).trim());
    return { first: first.rssBytes, again: again.rssBytes, floor, startMs: again.startMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Each command and `npm start`, as typed, this many times on each database (commands.ts).
const COMMAND_RUNS = Number(process.env.BENCH_COMMAND_RUNS ?? (QUICK ? 2 : 10));

ensureBuilt();
// `npm run bench -- commands`: that part alone, with a report of its own.
if (process.argv[2] === 'commands') {
  const times = await commandsRun(ADMIN_URL, COMMAND_RUNS);
  console.log(`\n${commandsMarkdown(times).join('\n')}\n\nWritten: ${writeCommandsReport(times, QUICK)}`);
  process.exit(0);
}
// `npm run bench -- many`: as many idle subscribers as one process holds, on SSE and WebSocket (many.ts).
if (process.argv[2] === 'many') {
  const report = await manyRun(ADMIN_URL, Number(process.env.BENCH_MANY ?? (QUICK ? 300 : 50_000)), QUICK ? 3 : 20);
  console.log(`\nWritten: ${writeManyReport(report, QUICK)}`);
  process.exit(0);
}
// `npm run bench -- idle`: the embedded database's idle memory alone.
if (process.argv[2] === 'idle') {
  const idle = await idleEmbedded();
  console.log(`idle RSS on the embedded database: ${Math.round(idle.again / 1048576)} MB (first start ${Math.round(idle.first / 1048576)} MB; PGlite alone ${Math.round(idle.floor / 1048576)} MB); ready in ${Math.round(idle.startMs)} ms`);
  process.exit(0);
}
// `npm run bench -- reads`: the large inbox's reads alone (1M messages; 20k with BENCH_QUICK=1), printed.
if (process.argv[2] === 'reads') {
  const db = await createDatabase();
  try {
    hatchCommand(['dist/server/cli/db-migrate.js'], { DATABASE_URL: db.url });
    const token = hatchCommand(['dist/server/cli/admin.js', 'token:create', '--name', 'bench', '--scope', 'send'], { DATABASE_URL: db.url });
    const [conversations, perConversation] = QUICK ? [200, 100] : [10_000, 100];
    const seconds = await seed(db.url, conversations, perConversation);
    const server = await startHatch({ DATABASE_URL: db.url });
    try {
      await sleep(2000);
      const queries = await reads(server.url, { authorization: `Bearer ${token}` }, db.url, QUICK ? 100 : 500);
      console.log(`${conversations * perConversation} messages, seeded in ${Math.round(seconds)} s`);
      for (const [q, t] of Object.entries(queries)) console.log(`${q}: p50 ${t.p50} ms, p99 ${t.p99} ms`);
      const ratio = queries[PAGE_ALTERNATING]!.p99 / queries[TYPENAME_ALTERNATING]!.p99;
      console.log(`first page p99 / { __typename } p99, alternating: ${ratio.toFixed(2)} (target ≤ 1.5)`);
      console.log(`its floor, the ids alone: p99 ${(queries[IDS_ALTERNATING]!.p99 / queries[TYPENAME_ALTERNATING]!.p99).toFixed(2)} × { __typename }`);
      if (process.env.BENCH_PLANS) console.log(Object.entries(await explain(db.url)).map(([name, plan]) => `${name}:\n${plan}`).join('\n\n'));
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
  process.exit(0);
}
const hatchDb = await createDatabase();
const referenceDb = await createDatabase();
const generators: LoadGenerator[] = [];
const servers: Server[] = [];
try {
  // Webhooks in the bench go to a receiver on this machine, over plain http.
  const env = { DATABASE_URL: hatchDb.url, WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: '127.0.0.1' };
  hatchCommand(['dist/server/cli/db-migrate.js'], env);
  hatchCommand(['dist/server/cli/db-migrate.js'], { DATABASE_URL: referenceDb.url });
  const token = hatchCommand(['dist/server/cli/admin.js', 'token:create', '--name', 'bench', '--scope', 'send'], env);
  const hatch = await startHatch(env);
  const reference = await startReference(referenceDb.url);
  servers.push(hatch, reference);
  await sleep(2000);
  const report: Report = {
    date: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '?', node: process.version, quick: QUICK },
    startup: { hatchPostgresMs: hatch.startMs, referenceMs: reference.startMs },
    idleRss: { hatchPostgres: rssOf(hatch.pid), reference: rssOf(reference.pid) },
    subscribers: {},
  } as Report;
  // The same two servers once more after a full garbage collection: what is live, not yet-uncollected garbage.
  await Promise.all([collectGarbage(hatch), collectGarbage(reference)]);
  report.idleRss.hatchPostgresCollected = rssOf(hatch.pid);
  report.idleRss.referenceCollected = rssOf(reference.pid);
  console.log('Opening subscribers…');
  for (let i = 0; i < GENERATORS; i++) generators.push(await LoadGenerator.start());
  const targets: Record<string, Target> = {
    'reference (distinct)': referenceTarget(reference),
    'Hatch, distinct connections': hatchTarget(hatch, 'distinct', token),
    'Hatch, single connection': hatchTarget(hatch, 'single', token),
  };
  // BENCH_ONLY=<words of one name> runs that subscriber run alone and writes no report (for profiling).
  const only = process.env.BENCH_ONLY?.toLowerCase();
  for (const [name, target] of Object.entries(targets)) {
    if (!only || name.toLowerCase().includes(only)) report.subscribers[name] = await subscribersRun(target, generators);
  }
  if (!only || 'presence'.includes(only)) {
    console.log('Presence beside fan-out…');
    report.presence = await presenceRun(targets['Hatch, distinct connections']!, generators, hatchDb.url);
  }
  if (!only || 'webhooks'.includes(only)) {
    console.log('Webhooks beside fan-out…');
    report.webhooks = await webhooksRun(targets['Hatch, distinct connections']!, generators, hatchDb.url);
  }
  await Promise.all(generators.map((g) => g.stop()));
  generators.length = 0;
  if (only) {
    // A partial run: its figures are printed, and the report (which holds every part) is left as it was.
    console.log(JSON.stringify({ subscribers: report.subscribers, presence: report.presence, webhooks: report.webhooks }, null, 1));
  } else {
    console.log('sendMessage throughput…');
    report.throughput = [];
    for (const clients of [1, 8, 32]) report.throughput.push(await throughput(hatch.url, { authorization: `Bearer ${token}` }, hatchDb.url, clients));
    console.log('Two replicas…');
    const second = await startHatch(env);
    servers.push(second);
    const auth = { authorization: `Bearer ${token}` };
    const one = await sendLoad([hatch.url], auth, 32);
    const two = await sendLoad([hatch.url, second.url], auth, 32);
    report.replicas = { clients: 32, one, two };
    await second.stop();
    servers.pop();

    console.log('Seeding the large inbox…');
    const [conversations, perConversation] = QUICK ? [200, 100] : [10_000, 100];
    const seedSeconds = await seed(hatchDb.url, conversations, perConversation);
    const queries = await reads(hatch.url, { authorization: `Bearer ${token}` }, hatchDb.url, QUICK ? 20 : 500);
    report.reads = { conversations, messages: conversations * perConversation, seedSeconds, queries, plans: await explain(hatchDb.url) };

    console.log('Idle on the embedded database…');
    const embedded = await idleEmbedded();
    report.idleRss.hatchEmbeddedFirst = embedded.first;
    report.idleRss.hatchEmbedded = embedded.again;
    report.idleRss.pgliteAlone = embedded.floor;
    report.startup.hatchEmbeddedMs = embedded.startMs;
    console.log('Commands, as typed…');
    report.commands = await commandsRun(ADMIN_URL, COMMAND_RUNS);
    const file = writeReport(report);
    console.log(`\nWritten: ${file}`);
  }
} finally {
  await Promise.all(generators.map((g) => g.stop().catch(() => {})));
  await Promise.all(servers.map((s) => s.stop()));
  await hatchDb.drop();
  await referenceDb.drop();
}
