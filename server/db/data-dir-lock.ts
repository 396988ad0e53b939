import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'hatch.lock';

/** The process holding an embedded database, and where it serves when it is a server. */
export interface DataDirHolder {
  pid: number;
  /** The server's own address (loopback), for commands that must go through it. */
  url?: string;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: DataDirHolder,
  ) {
    super(
      `The embedded database in ${dir} is in use by process ${holder.pid}${holder.url ? ` (a Hatch server at ${holder.url})` : ''}. ` +
        'It can be opened by one process at a time: stop that process first, or use DATABASE_URL for a Postgres server.',
    );
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whoever holds the data folder now, if that process is still running. */
export function dataDirHolder(dir: string): DataDirHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as DataDirHolder;
    return holder.pid !== process.pid && alive(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PGlite has no lock of its own, and two processes writing one data folder corrupt it. Whoever
 * opens it (the server, a command) records itself here first; a lock left by a process that died
 * is taken over. Returns `update` (to add the server's URL once it listens) and `release`.
 */
export function claimDataDir(dir: string): { update(holder: Omit<DataDirHolder, 'pid'>): void; release(): void } {
  const holder = dataDirHolder(dir);
  if (holder) throw new DataDirBusyError(dir, holder);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LOCK_FILE);
  const write = (extra: Omit<DataDirHolder, 'pid'> = {}) => {
    writeFileSync(file, JSON.stringify({ pid: process.pid, ...extra }), { mode: 0o600 });
    chmodSync(file, 0o600);
  };
  write();
  return {
    update: write,
    release: () => {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as DataDirHolder).pid === process.pid) rmSync(file, { force: true });
      } catch {
        // already gone
      }
    },
  };
}
