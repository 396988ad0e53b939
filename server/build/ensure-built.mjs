// Run before `npm start`: builds when dist/ is missing or older than anything it is built from, so
// a fresh clone's `npm install && npm start` works and an edited checkout never runs stale code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const stamp = path.join(root, 'dist', '.built');
const SOURCES = ['server', 'web/src', 'web/index.html', 'web/vite.config.ts', 'prisma', 'sql', 'codegen.ts', 'schema.graphql', 'tsconfig.json', 'package-lock.json'];
const SKIP = /(^|\/)(node_modules|dist|gql|test|testing|bench|artifacts)(\/|$)|\.test\.tsx?$/;

function newest(p) {
  if (!existsSync(p) || SKIP.test(path.relative(root, p))) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((name) => newest(path.join(p, name))));
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const source = Math.max(...SOURCES.map((p) => newest(path.join(root, p))));
if (source > built) {
  console.log(built ? 'The build is older than the source: building…' : 'No build yet: building (once)…');
  execFileSync(process.execPath, [path.join(root, 'server', 'build', 'build.mjs')], { stdio: 'inherit' });
}
