import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventually, freePort } from './test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  port: number;
  /** The environment it was started with (to start it again the same way). */
  env: Record<string, string>;
  process: ChildProcess;
  /** What the process wrote (its log lines), for tests that read them. */
  output(): string;
  /** Sends a signal and resolves with the exit code once it exits. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `npm start` as a separate process (through tsx, so no build is needed), ready when /ready says so. */
export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(p), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${p}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output.slice(-2000)}`);
      return fetch(`${url}/ready`).then((r) => r.ok, () => false);
    },
    60_000,
    `the server on port ${p} to be ready`,
  );
  return {
    url,
    port: p,
    env,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
