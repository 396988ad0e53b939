// What the npm scripts of the commands run: `node server/build/command.mjs admin token:list …` runs
// server/cli/admin with the arguments that follow, in this process.
//
// From dist/ when the build is at least as new as the server's sources: compiled JavaScript starts
// in a fraction of the time tsx takes to compile the TypeScript on every run. Otherwise from the
// TypeScript source through tsx, never by building first: a build takes 15–20 s (the web page
// included, which no command needs), and in a checkout being edited it would be stale again at the
// next save, so each command would rebuild. The source is what the build would compile, so the
// command behaves the same either way, only slower; `npm start` (or `npm run build`) makes it fast.
//
// The operator and token scripts pass Node `--liftoff-only`. On the embedded database such a
// command opens PGlite, runs a few statements and exits; V8's optimizing pass over PGlite's 9 MB of
// WebAssembly, which only a long-running process gains from, ran on the other core meanwhile and
// held up the event loop for as long again after the open (measured on 2 cores: open and first
// statement 1.3–2.6 s with it, 0.6–0.9 s without). Nothing else they run is WebAssembly. The
// server, and import:legacy's long runs, keep the optimizing pass.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBuilt, ROOT, SERVER_SOURCES } from './ensure-built.mjs';

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z-]+$/.test(name)) {
  console.error('usage: node server/build/command.mjs <a file of server/cli, without extension> [arguments…]');
  process.exit(2);
}

let file;
if (isBuilt(SERVER_SOURCES)) {
  file = path.join(ROOT, 'dist', 'server', 'cli', `${name}.js`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  file = path.join(ROOT, 'server', 'cli', `${name}.ts`);
}
// The command reads its arguments as if it had been started itself.
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
