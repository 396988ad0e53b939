// `npm run bench -- many`: as many idle subscribers as one Hatch process can hold (the target is
// 50,000; BENCH_MANY sets the count), on distinct-connection SSE and on WebSocket, opened by eight
// load generators whose connections leave from 127.0.0.2 … 127.0.0.9 (so one address's client
// ports are not the limit), each subscriber receiving every event of a 1 message/s stream. Server
// memory per subscriber is read after a full collection, against the same server with none open,
// and each transport gets a server of its own. The reference server (plain Node, plain `ws`) is
// run the same way on each transport, as the floor. Written to results/many.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createScratchDatabase } from '../testing/databases.ts';
import { FanOut, type Latency } from './fan-out.ts';
import { collectGarbage, hatchCommand, heapOf, LoadGenerator, rssOf, startHatch, startReference, writePartReport, type Server } from './processes.ts';
import { sleep } from './stats.ts';
import type { Mode } from './subscribers.ts';
import { hatchTarget, referenceTarget } from './targets.ts';

const TARGET = 50_000;
/** The floor each transport is measured against: the reference server (reference/server.mjs), plain Node and `ws`. */
const REFERENCE_SSE = 'SSE, reference (plain Node)';
const REFERENCE_WS = 'WebSocket, reference (plain ws)';
const REFERENCE_OF: Record<string, string> = { 'SSE, distinct connections': REFERENCE_SSE, WebSocket: REFERENCE_WS };
const MAX_KB_EACH = 10;
const GENERATORS = 8;
/** Files a server needs besides its subscribers' sockets: listeners, the database pool, logs, modules. */
const SERVER_FILES = 300;

export interface ManyRow {
  transport: string;
  subscribers: number;
  /** Server RSS after a full collection with none open, then with all of them, in bytes. */
  rssEmpty: number;
  rssFull: number;
  bytesEach: number;
  /** Of which the JavaScript heap, per subscriber. */
  heapBytesEach: number;
  /** Connections the server held from each source address while they were open. */
  sources: Record<string, number>;
  stream: Latency;
  failed?: string;
}

export interface ManyReport {
  date: string;
  machine: { cores: number; cpu: string; node: string };
  asked: number;
  /** The most open files one process may have here (RLIMIT_NOFILE, hard). */
  fileLimit: number;
  rows: ManyRow[];
}

/** The hard limit on open files, which no process here may raise (each socket is one). */
function fileLimit(): number {
  return Number(execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim()) || Infinity;
}

/** Established connections to `port`, by the client's address, from the kernel's table (the server's side of each). */
function connectionsBySource(port: number): Record<string, number> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const by: Record<string, number> = {};
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, remote, state] = line.trim().split(/\s+/);
    if (!local?.endsWith(`:${hexPort}`) || state !== '01') continue;
    const hex = remote!.split(':')[0]!;
    const ip = [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
    by[ip] = (by[ip] ?? 0) + 1;
  }
  return by;
}

async function oneTransport(adminUrl: string, transport: string, mode: Extract<Mode, 'distinct' | 'ws'>, count: number, seconds: number, reference: boolean): Promise<ManyRow> {
  const db = await createScratchDatabase(adminUrl, 'hatch_bench_many');
  const generators: LoadGenerator[] = [];
  try {
    hatchCommand(['dist/server/cli/db-migrate.js'], { DATABASE_URL: db.url });
    const token = hatchCommand(['dist/server/cli/admin.js', 'token:create', '--name', 'bench', '--scope', 'send'], { DATABASE_URL: db.url });
    const start = () => (reference ? startReference(db.url) : startHatch({ DATABASE_URL: db.url }));
    const targetOf = (server: Server) => (reference ? referenceTarget(server, mode) : hatchTarget(server, mode, token));
    // The empty reading comes from a process of its own, started the same way. The full collection
    // goes through the process's inspector, and once that has opened in a server that has answered
    // sends, each ServerResponse V8 creates from then on keeps its properties in a 3 KB dictionary
    // instead of in the object (seen with %HasFastProperties; never without the inspector): a server
    // collected before its subscribers open would count that in each of them.
    const empty = await start();
    const warmUp = async (target: ReturnType<typeof hatchTarget>) => {
      // Its first sends load code and fill caches: before any reading, in both processes.
      for (let i = 0; i < 5; i++) await target.send(`warm-up ${i} 0`);
      await sleep(2000);
    };
    let rssEmpty: number;
    let heapEmpty: number;
    try {
      await warmUp(targetOf(empty));
      await collectGarbage(empty);
      rssEmpty = rssOf(empty.pid);
      heapEmpty = await heapOf(empty);
    } finally {
      await empty.stop();
    }
    const server = await start();
    try {
      const target = targetOf(server);
      await warmUp(target);
      for (let i = 0; i < GENERATORS; i++) generators.push(await LoadGenerator.start(`127.0.0.${2 + i}`));
      const fan = new FanOut(target, generators);
      let row: Omit<ManyRow, 'stream'> = { transport, subscribers: count, rssEmpty, rssFull: 0, bytesEach: 0, heapBytesEach: 0, sources: {} };
      try {
        const idle = await fan.openTo(count);
        row = { ...row, rssFull: idle.rssBytes, bytesEach: (idle.rssBytes - rssEmpty) / count, heapBytesEach: (idle.heapBytes - heapEmpty) / count, sources: connectionsBySource(Number(new URL(server.url).port)) };
        console.log(`  ${transport}: ${count} open, ${kb(row.bytesEach)} KB each (heap ${kb(row.heapBytesEach)} KB)`);
        const stream = await fan.measure(1, seconds);
        console.log(`  ${transport}: ${stream.n} events, ${stream.lost} lost, ${stream.doubled} doubled, p99 ${stream.p99} ms`);
        return { ...row, stream };
      } catch (err) {
        return { ...row, stream: undefined as unknown as Latency, failed: (err as Error).message };
      } finally {
        await Promise.all(generators.map((g) => g.stop().catch(() => {})));
      }
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
}

export async function manyRun(adminUrl: string, asked: number, seconds: number): Promise<ManyReport> {
  const limit = fileLimit();
  const count = Math.min(asked, limit - SERVER_FILES);
  if (count < asked) console.log(`  ${asked} asked; one process may open ${limit} files here, so ${count} per run`);
  const rows: ManyRow[] = [];
  const runs = [
    ['SSE, distinct connections', 'distinct', false],
    [REFERENCE_SSE, 'distinct', true],
    ['WebSocket', 'ws', false],
    [REFERENCE_WS, 'ws', true],
  ] as const;
  for (const [transport, mode, reference] of runs) {
    rows.push(await oneTransport(adminUrl, transport, mode, count, seconds, reference));
    await sleep(5000); // the closed sockets leave TIME_WAIT before the next run opens as many
  }
  return { date: new Date().toISOString(), machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '?', node: process.version }, asked, fileLimit: limit, rows };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(2);
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

export function manyMarkdown(r: ManyReport): string[] {
  const lines = [
    `## Many idle subscribers in one process`,
    '',
    `${r.asked.toLocaleString('en')} asked. One process may open at most ${r.fileLimit.toLocaleString('en')} files on this machine (RLIMIT_NOFILE, hard; raising it needs a privilege this machine withholds), and every subscriber's socket is one, so each run opens ${r.rows[0]?.subscribers.toLocaleString('en') ?? '?'}. ${GENERATORS} load generators, connections from 127.0.0.2–127.0.0.${1 + GENERATORS}; a stream of 1 message/s to all of them; memory read after a full collection. ${r.machine.cores} cores, Node ${r.machine.node}.`,
    '',
    `| transport | subscribers | server RSS, none → all | per subscriber (heap) | target | × reference | events | lost | doubled | p50 | p99 | connections by source |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of r.rows) {
    const s = row.stream;
    const sources = Object.entries(row.sources).sort().map(([ip, n]) => `${ip.split('.').at(-1)}: ${n}`).join(', ');
    const reference = r.rows.find((x) => x.transport === REFERENCE_OF[row.transport]);
    const target = reference ? `≤ ${MAX_KB_EACH} KB ${row.bytesEach / 1024 <= MAX_KB_EACH ? 'met' : '**not met**'}` : 'floor';
    const ratio = reference ? `${(row.bytesEach / reference.bytesEach).toFixed(2)}×` : '–';
    lines.push(
      `| ${row.transport} | ${row.subscribers.toLocaleString('en')} | ${mb(row.rssEmpty)} → ${mb(row.rssFull)} | ${kb(row.bytesEach)} KB (${kb(row.heapBytesEach)} KB) | ${target} | ${ratio} | ${s ? s.n.toLocaleString('en') : '–'} | ${s?.lost ?? '–'} | ${s?.doubled ?? '–'} | ${s?.p50 ?? '–'} ms | ${s?.p99 ?? '–'} ms | ${sources} |`,
    );
    if (row.failed) lines.push('', `${row.transport} failed: ${row.failed}`);
  }
  if (r.rows[0] && r.rows[0].subscribers < TARGET) lines.push('', `${TARGET.toLocaleString('en')} per process was not run here: the file limit stops it first.`);
  return lines;
}

export function writeManyReport(r: ManyReport, quick: boolean): string {
  return writePartReport('many', quick, r, 'Many subscribers', manyMarkdown(r));
}
