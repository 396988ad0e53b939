// The commands as people type them, timed from spawn to exit by the process timer
// (processes.ts): `npm run token:create`, `token:list`, `token:revoke`, `operator:create` (the
// password piped in, as scripts and the tests give it), `sms:inbound`, and `npm start` to its
// first /health 200. Each runs `runs` times, in rounds so that a burst of load elsewhere on the
// machine falls on every row alike, on Postgres and on the embedded database (with the server
// stopped, when a command opens the database itself, and running, when it goes through the server),
// beside `node -e 0` and `npm run env` in the same rounds: what Node and npm cost before any of
// Hatch's code runs. `npm run bench -- commands` runs this part alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../testing/databases.ts';
import { freePort } from '../testing/test-app.ts';
import { ensureBuilt, ROOT, timeCommand, timeToAnswer, writePartReport } from './processes.ts';
import { round, sleep } from './stats.ts';

export interface CommandRow {
  database: 'Postgres' | 'embedded' | '';
  command: string;
  /** How it reaches the data, or what it stands for. */
  path: string;
  /** Milliseconds, one per run. */
  ms: number[];
  targetMs?: number;
}

export interface CommandTimes {
  date: string;
  machine: { cores: number; cpu: string; node: string };
  runs: number;
  /** The 1-minute load average when the rounds began and when they ended (the machine is shared). */
  loadAverage: [number, number];
  /** Whether every command ran from the build (false: dist/ went stale and some ran through tsx). */
  fromBuild: boolean;
  rows: CommandRow[];
}

const PASSWORD = 'correct horse battery';
const SETTLE_MS = 3000;
const POSTGRES_TARGET_MS = 1000;
const EMBEDDED_TARGET_MS = 2000;

const npm = (script: string, ...args: string[]) => ['npm', 'run', script, ...(args.length ? ['--', ...args] : [])];

/** Whether dist/ is at least as new as everything it is built from, as `npm start` decides. */
function built(): boolean {
  const check = "import { isBuilt } from './server/build/ensure-built.mjs'; process.exit(isBuilt() ? 0 : 1)";
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', check], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function commandsRun(adminUrl: string, runs: number): Promise<CommandTimes> {
  const rows = new Map<string, CommandRow>();
  let thisRound: { row: Omit<CommandRow, 'ms'>; ms: number }[] = [];
  const record = (database: CommandRow['database'], command: string, how: string, ms: number, targetMs?: number) =>
    thisRound.push({ row: { database, command, path: how, targetMs }, ms });
  const keep = () => {
    for (const { row, ms } of thisRound) {
      const key = `${row.database}|${row.command}|${row.path}`;
      if (!rows.has(key)) rows.set(key, { ...row, ms: [] });
      rows.get(key)!.ms.push(ms);
    }
  };
  const postgres = await createScratchDatabase(adminUrl, 'hatch_bench_commands');
  const dir = mkdtempSync(path.join(tmpdir(), 'hatch-bench-commands-'));
  // Twilio settings a developer has exported would change what sms:inbound signs with; the runs use the simulator.
  const common = { LOG_LEVEL: 'info', HOST: '127.0.0.1', TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '', TWILIO_PHONE_NUMBER: '', PUBLIC_URL: '', POSTGRES_HOST: '' };
  const envs = {
    // The data folder still holds the simulator's signing token, which sms:inbound reads too.
    Postgres: { ...common, DATABASE_URL: postgres.url, HATCH_DATA_DIR: path.join(dir, 'postgres-side') },
    embedded: { ...common, DATABASE_URL: '', HATCH_DATA_DIR: path.join(dir, 'embedded') },
  } as const;
  const run = async (database: 'Postgres' | 'embedded', how: string, argv: string[], stdin = '', check = (out: string) => out.length > 0) => {
    const t = await timeCommand(argv, envs[database], stdin);
    if (t.code !== 0 || !check(t.stdout)) throw new Error(`${argv.join(' ')} (${database}, ${how}) ended with ${t.code}:\n${t.stdout}\n${t.stderr}`);
    record(database, argv.slice(2).filter((a) => a !== '--')[0]!, how, t.ms, database === 'Postgres' ? POSTGRES_TARGET_MS : EMBEDDED_TARGET_MS);
  };
  const tokenCommands = async (database: 'Postgres' | 'embedded', how: string, attempt: number) => {
    const name = `bench ${how} ${attempt}`;
    await run(database, how, npm('token:create', '--name', name, '--scope', 'read'), '', (out) => /^hatch_\S+$/m.test(out));
    await run(database, how, npm('token:list'), '', (out) => out.includes(name));
    await run(database, how, npm('token:revoke', '--name', name));
    await run(database, how, npm('operator:create', '--email', `bench-${how.replace(/\W+/g, '-')}-${attempt}@example.com`), `${PASSWORD}\n`);
  };
  const started = async (database: 'Postgres' | 'embedded', targetMs?: number) => {
    const server = await timeToAnswer(['npm', 'start'], envs[database], await freePort());
    record(database, 'npm start → /health 200', 'the server from dist/', server.ms, targetMs);
    // The commands meet a server that is running, not one still finishing its start (on the
    // embedded database V8 optimizes PGlite's code for a few seconds more, on both cores).
    await sleep(SETTLE_MS);
    return server;
  };
  const inbound = async (database: 'Postgres' | 'embedded', url: string) => {
    const argv = npm('sms:inbound', '--from', '+15551234567', '--body', 'bench', '--url', url);
    // Untimed first: a server's first inbound SMS costs it about 0.2 s more than the next (Prisma's
    // query compiler starts on first use), which is the server's start, not the command's.
    await timeCommand(argv, envs[database]);
    await run(database, 'posts to the running server', argv, '', (out) => /^delivered inbound SMS /m.test(out));
  };

  try {
    // Untimed: each database migrated once (the embedded folder's very first start creates it, about 10 s).
    for (const database of ['Postgres', 'embedded'] as const) {
      const migrated = await timeCommand(npm('db:migrate'), envs[database]);
      if (migrated.code !== 0) throw new Error(`db:migrate on ${database}: ${migrated.stderr}`);
    }
    const loadBefore = loadavg()[0]!;
    let fromBuild = true;
    for (let i = 1, attempt = 1; i <= runs; attempt++) {
      // Built before each round, and the round run again if the sources changed during it (someone
      // editing on the same machine): a command would have run through tsx, or `npm start` built.
      ensureBuilt();
      thisRound = [];
      for (const [command, argv] of [['node -e 0', [process.execPath, '-e', '0']], ['npm run env', ['npm', 'run', 'env']]] as const) {
        const t = await timeCommand([...argv], {});
        record('', command, command === 'node -e 0' ? "Node's own start, for scale" : "npm's own cost: a script npm has built in", t.ms);
      }
      const pgServer = await started('Postgres', POSTGRES_TARGET_MS);
      try {
        await tokenCommands('Postgres', 'on the database', attempt);
        await inbound('Postgres', pgServer.url);
      } finally {
        await pgServer.stop();
      }
      await tokenCommands('embedded', 'server stopped: opens the database', attempt);
      const embeddedServer = await started('embedded');
      try {
        await tokenCommands('embedded', 'server running: through it', attempt);
        await inbound('embedded', embeddedServer.url);
      } finally {
        await embeddedServer.stop();
      }
      if (!built() && attempt < 3 * runs) {
        console.log(`  round ${i}: the sources changed meanwhile; building, then running it again`);
        continue;
      }
      fromBuild &&= built();
      keep();
      console.log(`  round ${i} of ${runs}`);
      i++;
    }
    return {
      date: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '?', node: process.version },
      runs,
      loadAverage: [loadBefore, loadavg()[0]!],
      fromBuild,
      rows: [...rows.values()],
    };
  } finally {
    await postgres.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Nearest rank, as stats.ts's summaries. */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export function commandsMarkdown(c: CommandTimes): string[] {
  const ms = (x: number) => `${round(x, 0)}`;
  const row = (r: CommandRow) => {
    const p50 = quantile(r.ms, 0.5);
    const p90 = quantile(r.ms, 0.9);
    const verdict = r.targetMs === undefined ? '' : p90 <= r.targetMs ? 'met' : p50 <= r.targetMs ? '**p90 over**' : '**not met**';
    const [typed, until] = r.command.split(' → ');
    const command = `\`${/^(npm|node) /.test(typed!) ? typed : `npm run ${typed}`}\`${until ? ` → ${until}` : ''}`;
    return `| ${r.database || '–'} | ${command} | ${r.path} | ${ms(p50)} | ${ms(p90)} | ${r.targetMs ? `${r.targetMs / 1000} s` : ''} | ${verdict} |`;
  };
  return [
    `## Commands, typed to finished (ms, ${c.runs} runs each)`,
    '',
    `Each as a person types it (\`npm run …\`, npm's own start included), run from the build; \`npm start\` until its first \`/health\` 200, and the commands beside a server ${SETTLE_MS / 1000} s after that (\`sms:inbound\` after one untimed inbound SMS: a server's first costs it 0.2 s more). ${c.machine.cores} cores (${c.machine.cpu}), Node ${c.machine.node}; load average ${round(c.loadAverage[0], 1)} when the rounds began, ${round(c.loadAverage[1], 1)} when they ended.${c.fromBuild ? '' : ' **dist/ went stale during the run: some commands ran through tsx.**'}`,
    '',
    '| database | command | how | median | p90 | target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...c.rows.map(row),
  ];
}

/** This part run alone: results/commands.json and .md. */
export function writeCommandsReport(c: CommandTimes, quick: boolean): string {
  return writePartReport('commands', quick, c, 'Commands', commandsMarkdown(c));
}
