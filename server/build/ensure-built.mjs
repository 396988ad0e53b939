// Whether dist/ is as new as what it is built from, and building it when it is not, so a fresh
// clone's `npm install && npm start` works and an edited checkout never runs stale code. Run as a
// script (the bench does), it builds when needed; `start.mjs` and `command.mjs` import it.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STAMP = path.join(ROOT, 'dist', '.built');

/** Everything the build reads: the server, the web page, and what both are generated from. */
export const BUILD_SOURCES = ['server', 'web/src', 'web/index.html', 'web/vite.config.ts', 'prisma', 'sql', 'codegen.ts', 'schema.graphql', 'tsconfig.json', 'package-lock.json'];
/** What the compiled server and its commands are made from (dist/server, dist/prisma): not the web page. */
export const SERVER_SOURCES = ['server', 'prisma', 'sql', 'tsconfig.json', 'package-lock.json'];
/** Not built from: tests, benchmarks, generated web types, and other builds' output. */
const SKIP_FOLDERS = new Set(['node_modules', 'dist', 'gql', 'test', 'testing', 'bench', 'artifacts']);
const SKIP_FILE = /\.test\.tsx?$/;

/** Modification time of the newest file or folder under `p` (0 when there is none). */
function newest(p) {
  const stat = statSync(p, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return stat?.mtimeMs ?? 0;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(p, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_FOLDERS.has(entry.name)) latest = Math.max(latest, newest(`${p}/${entry.name}`));
    } else if (!SKIP_FILE.test(entry.name)) {
      latest = Math.max(latest, statSync(`${p}/${entry.name}`).mtimeMs);
    }
  }
  return latest;
}

/** When dist/ was last built (0 when it never was, or a build is under way). */
function builtAt() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether dist/ holds a finished build newer than every file under `sources`. */
export function isBuilt(sources = BUILD_SOURCES) {
  const built = builtAt();
  return built > 0 && sources.every((p) => newest(path.join(ROOT, p)) <= built);
}

/** Builds dist/ (in a process of its own, whose memory is then given back) unless it is fresh. */
export async function ensureBuilt() {
  if (isBuilt()) return;
  console.log(builtAt() ? 'The build is older than the source: building…' : 'No build yet: building (once)…');
  // Loaded only to build: a fresh build, the usual case, does not pay for it.
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [path.join(ROOT, 'server', 'build', 'build.mjs')], { stdio: 'inherit' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await ensureBuilt();
