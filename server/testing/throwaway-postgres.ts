import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './test-app.ts';

const BIN = '/usr/lib/postgresql/15/bin';

/** Whether a Postgres cluster of a test's own can be made here (Debian's binaries, run as root). */
export const canRunThrowawayPostgres = (): boolean => existsSync(`${BIN}/pg_ctl`) && process.getuid?.() === 0;

export interface ThrowawayPostgres {
  url: string;
  /** Restarts it (fast shutdown: every connection is cut), without blocking this process meanwhile. */
  restart(): Promise<void>;
  destroy(): void;
}

/**
 * A Postgres cluster of the test's own, on a free port, for faults that must not touch the shared
 * server other tests use: restarting, stopping. Made with initdb as the postgres user.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hatch-pg-'));
  const postgres = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  chownSync(dir, postgres, postgres);
  const port = await freePort();
  const as = (bin: string, ...args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', `${BIN}/${bin}`, ...args], { stdio: 'pipe' });
  as('initdb', '-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres');
  const ctl = (...args: string[]) => as('pg_ctl', '-D', `${dir}/data`, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', `${dir}/log`, '-w', ...args);
  ctl('start');
  const ctlArgs = ['-u', 'postgres', '--', `${BIN}/pg_ctl`, '-D', `${dir}/data`, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', `${dir}/log`, '-w'];
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => void (await promisify(execFile)('runuser', [...ctlArgs, 'restart', '-m', 'fast'])),
    destroy() {
      try {
        ctl('stop', '-m', 'immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
