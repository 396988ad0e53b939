// The processes a benchmark run starts: Hatch (the production build, as `npm start` runs it), the
// reference server, and the load generators. Each is started through `sh -c 'ulimit -n …'` because
// Node cannot raise its own open-file limit, and 10,000 subscribers need 10,000 sockets a side.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { freePort } from '../testing/test-app.ts';
import type { Collected, Command } from './subscribers.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const PROFILE_DIR = path.join(ROOT, 'server/bench/results/profiles');


function spawnWithFiles(args: string[], env: Record<string, string>, ipc = false): ChildProcess {
  const line = `ulimit -n $(ulimit -Hn); exec "${process.execPath}" ${args.map((a) => `'${a}'`).join(' ')}`;
  return spawn('sh', ['-c', line], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'pipe'] });
}

export interface Server {
  url: string;
  pid: number;
  /** Milliseconds from spawn to its first successful readiness probe. */
  startMs: number;
  metricsUrl?: string;
  /** Where the inspector listens once the process is sent SIGUSR1 (see `collectGarbage`). */
  inspectPort: number;
  stop(): Promise<void>;
}

async function startServer(args: string[], env: Record<string, string>, probe: string): Promise<Server> {
  const port = await freePort();
  // The inspector stays off (and costs nothing) until `collectGarbage` sends SIGUSR1.
  const inspectPort = await freePort();
  const started = performance.now();
  const child = spawnWithFiles([`--inspect-port=127.0.0.1:${inspectPort}`, ...args], { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env });
  let output = '';
  // BENCH_SERVER_LOG=<file>: the servers' own output is kept there too (their warnings, for diagnosis).
  const log = process.env.BENCH_SERVER_LOG;
  const keep = (d: Buffer) => {
    output = (output + d).slice(-10_000);
    if (log) appendFileSync(log, d);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited:\n${output.slice(-2000)}`);
    if (await fetch(`${url}${probe}`).then((r) => r.ok, () => false)) break;
    if (performance.now() - started > 120_000) throw new Error(`${args.join(' ')} never became ready:\n${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const startMs = performance.now() - started;
  return {
    url,
    pid: child.pid!,
    startMs,
    inspectPort,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A DevTools-protocol session with a server's inspector, which SIGUSR1 opens on `inspectPort`. */
export async function inspect(server: Server): Promise<{ call<T = unknown>(method: string, params?: object): Promise<T>; close(): void }> {
  process.kill(server.pid, 'SIGUSR1');
  const deadline = Date.now() + 10_000;
  let target: string | undefined;
  while (!target) {
    const list = await fetch(`http://127.0.0.1:${server.inspectPort}/json/list`).then((r) => r.json() as Promise<{ webSocketDebuggerUrl: string }[]>, () => undefined);
    target = list?.[0]?.webSocketDebuggerUrl;
    if (!target && Date.now() > deadline) throw new Error(`the inspector of ${server.url} did not open`);
    if (!target) await new Promise((r) => setTimeout(r, 50));
  }
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const waiting = new Map<number, (result: unknown) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  let id = 0;
  return {
    call: <T>(method: string, params = {}) =>
      new Promise<T>((resolve) => {
        waiting.set(++id, resolve as (result: unknown) => void);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

/**
 * A full garbage collection in the server, through its inspector, so that memory readings count
 * what is live rather than whatever garbage V8 has not yet collected: a heap that is not under
 * pressure is collected lazily, and by an amount that varies from run to run.
 */
export async function collectGarbage(server: Server): Promise<void> {
  const session = await inspect(server);
  // Twice: the first collection can leave objects whose finalizers free more in the second.
  await session.call('HeapProfiler.collectGarbage');
  await session.call('HeapProfiler.collectGarbage');
  session.close();
  await new Promise((r) => setTimeout(r, 500));
}

/** Builds dist/ if it is missing or stale, exactly as `npm start` does. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, ['server/build/ensure-built.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

/** Hatch from dist/ (see ensureBuilt), as `npm start` runs it. */
export async function startHatch(env: Record<string, string>): Promise<Server> {
  const metricsPort = await freePort();
  // BENCH_PROFILE=1: a V8 CPU profile of the whole run, written when Hatch exits (see profile.ts).
  const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  // The flags `npm start` passes (package.json), so the bench measures what people run.
  const server = await startServer([...profile, '--max-semi-space-size=4', 'dist/server/main.js'], { METRICS_PORT: String(metricsPort), SMS_RATE_LIMIT: '0', SSE_MAX_STREAMS_PER_CREDENTIAL: '100000', ...env }, '/ready');
  return { ...server, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

export const startReference = (databaseUrl: string) => startServer(['server/bench/reference/server.mjs'], { DATABASE_URL: databaseUrl }, '/ready');

/** A command of Hatch's, from the build, on a database. Its last line of output is returned. */
export function hatchCommand(args: string[], env: Record<string, string>): string {
  const out = execFileSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').at(-1)!;
}

/** A command run to its end: what it printed, how it ended, and milliseconds from spawn to exit. */
export interface Timed {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `argv` as typed (`['npm', 'run', 'token:list']`) with `stdin` piped in, timed from spawn to exit. */
export function timeCommand(argv: string[], env: Record<string, string>, stdin = ''): Promise<Timed> {
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  let ms = 0;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(stdin);
  child.once('exit', () => (ms = performance.now() - started));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms, code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Starts `argv` as typed (`['npm', 'start']`) and times it from spawn to the first 200 from
 * `probe` on `port`. `stop` ends its whole process group (npm, its shell and the server).
 */
export async function timeToAnswer(argv: string[], env: Record<string, string>, port: number, probe = '/health'): Promise<{ ms: number; url: string; stop(): Promise<void> }> {
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env: { ...process.env, PORT: String(port), ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${argv.join(' ')} exited:\n${output}`);
    if (await fetch(`${url}${probe}`).then((r) => r.ok, () => false)) break;
    if (performance.now() - started > 120_000) {
      await stop();
      throw new Error(`${argv.join(' ')} never answered ${probe}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { ms: performance.now() - started, url, stop };
}

/** Resident memory of a process, from the kernel, in bytes. */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** The V8 heap in use in `server`, Hatch's or the reference's, through its inspector (see `collectGarbage`). */
export async function heapOf(server: Server): Promise<number> {
  const session = await inspect(server);
  try {
    const { result } = await session.call<{ result: { value: number } }>('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true });
    return result.value;
  } finally {
    session.close();
  }
}

/** A load-generator process, driven over IPC. */
export class LoadGenerator {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, (message: any) => void>();
  live = 0;
  /** Subscriptions the server ended, and retried opens, so far (for diagnosing a stalled warm-up). */
  completed = 0;
  retries = 0;

  /** `localAddress`: where this generator's connections leave from (127.0.0.2, …); the default address otherwise. */
  private constructor(private readonly localAddress?: string) {
    this.child = spawnWithFiles(['--import', 'tsx', 'server/bench/subscribers.ts'], {}, true);
    this.child.on('message', (m: { type: string; live?: number; completed?: number; retries?: number; error?: string }) => {
      if (m.type === 'live') [this.live, this.completed, this.retries] = [m.live!, m.completed!, m.retries!];
      else if (m.type === 'error') console.error(`subscriber error: ${m.error}`);
      else this.waiting.get(m.type)?.(m);
    });
  }

  static async start(localAddress?: string): Promise<LoadGenerator> {
    const g = new LoadGenerator(localAddress);
    await g.expect('ready');
    return g;
  }

  private expect(type: string): Promise<any> {
    return new Promise((resolve) => this.waiting.set(type, resolve));
  }

  async send(command: Command, answer: string): Promise<any> {
    const reply = this.expect(answer);
    this.child.send(command);
    return reply;
  }

  open(command: Extract<Command, { cmd: 'open' }>) {
    return this.send({ ...command, localAddress: this.localAddress }, 'opened');
  }

  async collect(run: string, expected: number): Promise<Collected> {
    return (await this.send({ cmd: 'collect', run, expected }, 'collected')).collected;
  }

  async stop(): Promise<void> {
    await this.send({ cmd: 'close' }, 'closed');
    this.child.kill();
  }
}

/**
 * A part of the benchmark run alone: results/<name>.json and .md, with `title` and the date as its
 * heading (a quick run's, quick.<name>.*, are not kept in git). Returns the Markdown file's path.
 */
export function writePartReport(name: string, quick: boolean, data: { date: string }, title: string, lines: string[]): string {
  const dir = path.join(ROOT, 'server/bench/results');
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, quick ? `quick.${name}` : name);
  writeFileSync(`${base}.json`, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(`${base}.md`, `# ${title}, ${data.date.slice(0, 10)}\n\n${lines.join('\n')}\n`);
  return `${base}.md`;
}
