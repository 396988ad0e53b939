// The benchmark's report: every figure as JSON (for comparing runs) and a Markdown page of tables
// with the reference beside each Hatch figure, both under server/bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandsMarkdown, type CommandTimes } from './commands.ts';
import type { Idle, Latency } from './fan-out.ts';
import { IDS_ALTERNATING, PAGE_ALTERNATING, TYPENAME_ALTERNATING, type ReadTimes } from './large-data.ts';
import { round } from './stats.ts';
import type { Rate, Throughput } from './throughput.ts';

export interface Report {
  date: string;
  machine: { cores: number; cpu: string; node: string; quick: boolean };
  startup: { hatchPostgresMs: number; referenceMs: number; hatchEmbeddedMs?: number };
  idleRss: { hatchPostgres: number; reference: number; hatchPostgresCollected?: number; referenceCollected?: number; hatchEmbedded?: number; hatchEmbeddedFirst?: number; pgliteAlone?: number };
  subscribers: Record<string, { idle: Idle[]; latency: Latency[]; failed?: string }>;
  throughput: Throughput[];
  /** sendMessage from 32 clients: one replica, then two on the same database (16 clients each). */
  replicas?: { clients: number; one: Rate; two: Rate };
  reads: ReadTimes;
  /** Message fan-out with and without operators typing beside it, in the same run. */
  presence?: PresenceCost;
  /** Message fan-out with and without webhook endpoints taking every message, in the same run. */
  webhooks?: WebhookCost;
  /** Each command, and `npm start` to its first answer, as typed. */
  commands?: CommandTimes;
}

export interface PresenceCost {
  operators: number;
  before: Latency;
  during: Latency;
  after: Latency;
  reportsPerSecond: number;
  eventsPerSecond: number;
  refused: number;
  latency: { n: number; p50: number; p99: number; max: number };
  /** The same, with no message load. */
  idleLatency: { n: number; p50: number; p99: number; max: number };
}

export interface WebhookCost {
  endpoints: number;
  before: Latency;
  during: Latency;
  after: Latency;
  deliveriesPerSecond: number;
  /** From a message's creation to its delivery's arrival. */
  latency: { n: number; p50: number; p99: number; max: number };
  /** Still queued once the load stopped and had time to drain. */
  missing: number;
  doubled: number;
}

const REFERENCE = 'reference (distinct)';
const mb = (b: number) => `${round(b / 2 ** 20)} MB`;
const collected = (b: number | undefined) => (b === undefined ? '–' : mb(b));
const ratio = (a: number, b: number) => `${round(a / b, 2)}×`;

/** Bytes each subscriber adds, from the first idle step to the last (a least-squares slope would hide nothing here). */
export function perSubscriber(idle: Idle[]): number {
  const first = idle[0]!;
  const last = idle.at(-1)!;
  return (last.rssBytes - first.rssBytes) / (last.subscribers - first.subscribers);
}

function markdown(r: Report): string {
  const ref = r.subscribers[REFERENCE]!;
  const lines = [
    `# Benchmark, ${r.date.slice(0, 10)}`,
    '',
    `${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}, Postgres on the same machine${r.machine.quick ? '; QUICK run (small sizes)' : ''}.`,
    '',
    '## Mutation → subscriber latency (ms)',
    '',
    '| server | subscribers × sends/s | p50 | p95 | p99 | max | lost / doubled | p99 vs reference | load generators\' CPU | reconnects to open |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, run] of Object.entries(r.subscribers)) {
    if (run.failed) lines.push(`| ${name} | ${run.failed} | | | | | | | | |`);
    for (const l of run.latency) {
      const base = ref.latency.find((x) => x.subscribers === l.subscribers)!;
      lines.push(`| ${name} | ${l.subscribers} × ${l.rate} | ${l.p50} | ${l.p95} | ${l.p99} | ${l.max} | ${l.lost} / ${l.doubled} | ${ratio(l.p99, base.p99)} | ${round(l.generatorCpu * 100)} % of a core | ${l.connectRetries} |`);
    }
  }
  lines.push('', '## Memory with idle subscribers (server RSS, read after a full garbage collection)', '', `| server | ${ref.idle.map((i) => `${i.subscribers}`).join(' | ')} | per subscriber | vs reference |`, `| --- | ${ref.idle.map(() => '---').join(' | ')} | --- | --- |`);
  for (const [name, run] of Object.entries(r.subscribers)) {
    const per = perSubscriber(run.idle);
    lines.push(`| ${name} | ${run.idle.map((i) => mb(i.rssBytes) + (i.heapBytes ? ` (heap ${mb(i.heapBytes)})` : '')).join(' | ')} | ${round(per / 1024)} KB | ${ratio(per, perSubscriber(ref.idle))} |`);
  }
  lines.push(
    '',
    '## Idle and start-up',
    '',
    '| | idle RSS 2 s after ready | after a full garbage collection | start to ready |',
    '| --- | --- | --- | --- |',
    `| Hatch on Postgres | ${mb(r.idleRss.hatchPostgres)} | ${collected(r.idleRss.hatchPostgresCollected)} | ${round(r.startup.hatchPostgresMs, 0)} ms |`,
    `| Hatch on the embedded database, started on its folder | ${r.idleRss.hatchEmbedded ? mb(r.idleRss.hatchEmbedded) : '–'} | | ${r.startup.hatchEmbeddedMs ? `${round(r.startup.hatchEmbeddedMs, 0)} ms` : '–'} |`,
    `| … its very first start (creating the folder) | ${r.idleRss.hatchEmbeddedFirst ? mb(r.idleRss.hatchEmbeddedFirst) : '–'} | | |`,
    `| PGlite alone on that folder, same settings (the floor) | ${r.idleRss.pgliteAlone ? mb(r.idleRss.pgliteAlone) : '–'} | | |`,
    `| reference | ${mb(r.idleRss.reference)} | ${collected(r.idleRss.referenceCollected)} | ${round(r.startup.referenceMs, 0)} ms |`,
    ...(r.commands ? ['', ...commandsMarkdown(r.commands)] : []),
    '',
    '## Writes',
    '',
    'Each client writes to a conversation of its own. "plain": INSERT of the same row into a copy of `messages` without triggers. "with triggers": into `messages`, with the change feed and its numbering. "one conversation": the same, every client on one row.',
    '',
    '| clients | plain INSERT/s (p95) | with triggers /s (p95) | triggers vs plain | one conversation /s | sendMessage req/s (p95) | sendMessage vs with triggers |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...r.throughput.map(
      (t) =>
        `| ${t.clients} | ${round(t.plain.rps, 0)} (${round(t.plain.p95)} ms) | ${round(t.raw.rps, 0)} (${round(t.raw.p95)} ms) | ${round(t.triggers, 2)} | ${round(t.hot.rps, 0)} | ${round(t.hatch.rps, 0)}${t.hatch.errors ? ` (${t.hatch.errors} errors)` : ''} (${round(t.hatch.p95)} ms) | ${round(t.ratio, 2)} |`,
    ),
    ...(r.replicas
      ? [
          '',
          `Two replicas on one database, ${r.replicas.clients} clients in all: one replica ${round(r.replicas.one.rps, 0)} req/s, two ${round(r.replicas.two.rps, 0)} req/s (${round(r.replicas.two.rps / r.replicas.one.rps, 2)}×).`,
        ]
      : []),
    ...(r.presence ? presenceLines(r.presence) : []),
    ...(r.webhooks ? webhookLines(r.webhooks) : []),
    '',
    `## Reads with ${r.reads.conversations} conversations and ${r.reads.messages} messages (seeded in ${round(r.reads.seedSeconds)} s), sequential`,
    '',
    '| request | p50 | p99 |',
    '| --- | --- | --- |',
    ...Object.entries(r.reads.queries).map(([q, t]) => `| ${q.replace(/\|/g, '\\|')} | ${round(t.p50, 2)} ms | ${round(t.p99, 2)} ms |`),
    '',
    `First page p99 / \`{ __typename }\` p99, alternating: ${ratio(r.reads.queries[PAGE_ALTERNATING]!.p99, r.reads.queries[TYPENAME_ALTERNATING]!.p99)} (target ≤ 1.5×); its floor, the page's ids alone (one SQL statement, nothing per row), in the same rounds: ${ratio(r.reads.queries[IDS_ALTERNATING]!.p99, r.reads.queries[TYPENAME_ALTERNATING]!.p99)}.`,
    '',
    '## Plans of the hot paths at this size',
    '',
    ...Object.entries(r.reads.plans).flatMap(([name, plan]) => [`${name}:`, '', '```', plan, '```', '']),
  );
  return lines.join('\n');
}

/** A message-latency table before, while and after something runs beside the fan-out, then what it did. */
function besideLines(title: string, names: [string, string, string], runs: [Latency, Latency, Latency], summary: string): string[] {
  const row = (name: string, l: Latency) => `| ${name} | ${l.p50} | ${l.p99} | ${l.max} | ${l.lost} / ${l.doubled} |`;
  return ['', `## ${title}`, '', '| messages, ms | p50 | p99 | max | lost / doubled |', '| --- | --- | --- | --- | --- |', ...runs.map((l, i) => row(names[i]!, l)), '', summary];
}

const noiseOf = (x: { before: Latency; during: Latency; after: Latency }, what: string) =>
  `Message p99 ${what} ${ratio(x.during.p99, x.before.p99)} of before; before and after differ by ${round(Math.abs(x.before.p99 - x.after.p99))} ms (the run's noise).`;

function presenceLines(p: PresenceCost): string[] {
  return besideLines(
    `Presence beside fan-out (${p.before.subscribers} subscribers × ${p.before.rate} messages/s, ${p.operators} operators typing in one conversation)`,
    ['before the typing', 'while typing', 'after the typing'],
    [p.before, p.during, p.after],
    `Presence: ${round(p.reportsPerSecond)} reports/s (${p.refused} refused), ${round(p.eventsPerSecond)} events/s delivered; a change reached a watcher in p50 ${round(p.latency.p50)} ms, p99 ${round(p.latency.p99)} ms (n = ${p.latency.n}) under that load, and in p50 ${round(p.idleLatency.p50)} ms, p99 ${round(p.idleLatency.p99)} ms (n = ${p.idleLatency.n}) without it. ${noiseOf(p, 'while typing')}`,
  );
}

function webhookLines(w: WebhookCost): string[] {
  return besideLines(
    `Webhooks beside fan-out (${w.before.subscribers} subscribers × ${w.before.rate} messages/s, ${w.endpoints} endpoints taking every message)`,
    ['before the endpoints', 'while delivering', 'after they went'],
    [w.before, w.during, w.after],
    `Webhooks: ${round(w.deliveriesPerSecond)} deliveries/s accepted; a delivery arrived p50 ${round(w.latency.p50)} ms, p99 ${round(w.latency.p99)} ms (n = ${w.latency.n}) after its message was created; ${w.missing} still queued at the end, ${w.doubled} delivered twice. ${noiseOf(w, 'while delivering')}`,
  );
}

export function writeReport(r: Report): string {
  const dir = path.resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const name = r.machine.quick ? 'quick' : 'latest';
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
  const file = path.join(dir, `${name}.md`);
  writeFileSync(file, markdown(r));
  return file;
}
