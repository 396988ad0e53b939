// Runs what the Dockerfile builds, without Docker (no engine runs on the CI machines): each stage
// in a folder of its own, its COPY steps as files, its `npm` RUN steps as they are, its ENV for
// them; then the final stage's CMD is started on the embedded database and checked (/health,
// /ready, the page, GraphiQL's sign-in redirect, a clean SIGTERM). RUN steps that only shape the
// image (mkdir, chown of /data) have no meaning outside one and are listed as skipped.
import { execFileSync, execSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'hatch-image-'));
const lines = readFileSync(path.join(root, 'Dockerfile'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
const isIgnored = (file) => ignored.some((p) => (p.startsWith('*.') ? file.endsWith(p.slice(1)) : file === p || file.startsWith(`${p}/`)));

const args = {};
const stages = new Map();
let stage;
const say = (text) => console.log(`[image] ${text}`);

for (const line of lines) {
  const [instruction, ...rest] = line.split(/\s+/);
  const text = line.slice(instruction.length).trim();
  switch (instruction) {
    case 'ARG': {
      const [key, value] = text.split('=');
      args[key] = value;
      break;
    }
    case 'FROM': {
      const name = text.split(/\s+AS\s+/i)[1] ?? `stage${stages.size}`;
      stage = { name, dir: path.join(work, name), workdir: '/', env: {} };
      mkdirSync(stage.dir, { recursive: true });
      stages.set(name, stage);
      say(`stage ${name} (${text.replace(/\$\{(\w+)\}/g, (_, k) => args[k])})`);
      break;
    }
    case 'WORKDIR':
      stage.workdir = text;
      mkdirSync(path.join(stage.dir, text), { recursive: true });
      break;
    case 'ENV':
      for (const pair of text.split(/\s+/)) {
        const [key, value] = pair.split('=');
        stage.env[key] = value;
      }
      break;
    case 'COPY': {
      const from = rest[0].startsWith('--from=') ? stages.get(rest.shift().slice('--from='.length)) : undefined;
      const dest = path.join(stage.dir, stage.workdir, rest.pop());
      for (const src of rest) {
        if (from) cpSync(path.join(from.dir, src), dest, { recursive: true });
        else if (src === '.') {
          const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root }).toString().split('\n').filter(Boolean);
          for (const file of files.filter((f) => !isIgnored(f))) cpSync(path.join(root, file), path.join(dest, file), { recursive: true });
        } else cpSync(path.join(root, src), path.join(dest, path.basename(src)));
      }
      say(`COPY ${text}`);
      break;
    }
    case 'RUN': {
      if (!text.startsWith('npm ')) {
        say(`RUN ${text}   (skipped: it shapes the image's own file system)`);
        break;
      }
      // Emptying npm's cache keeps an image small; here it would empty this machine's.
      const command = text.replace(/\s*&&\s*npm cache clean --force/, '');
      say(`RUN ${command}`);
      execSync(command, { cwd: path.join(stage.dir, stage.workdir), stdio: 'inherit', env: { ...process.env, ...stage.env } });
      break;
    }
    case 'CMD':
      stage.cmd = JSON.parse(text);
      break;
    default:
      say(`${instruction} ${text}`);
  }
}

const free = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
const port = await free();
const data = path.join(work, 'data');
const final = stage;
say(`CMD ${final.cmd.join(' ')} (embedded database in ${data})`);
const server = spawn(final.cmd[0], final.cmd.slice(1), {
  cwd: path.join(final.dir, final.workdir),
  env: { PATH: process.env.PATH, HOME: process.env.HOME, ...final.env, PORT: String(port), HATCH_DATA_DIR: data, LOG_LEVEL: 'warn' },
  stdio: 'inherit',
});
const base = `http://127.0.0.1:${port}`;
const until = Date.now() + 60_000;
let ok = false;
try {
  while (Date.now() < until && !ok) {
    ok = await fetch(`${base}/ready`).then((r) => r.ok, () => false);
    if (!ok) await new Promise((r) => setTimeout(r, 200));
  }
  if (!ok) throw new Error('the built server never became ready');
  const checks = [
    ['/health', 200],
    ['/', 200],
    ['/graphql', 303],
  ];
  for (const [p, status] of checks) {
    const res = await fetch(`${base}${p}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    if (res.status !== status) throw new Error(`${p} answered ${res.status}, expected ${status}`);
    say(`${p} → ${res.status}`);
  }
  server.kill('SIGTERM');
  const code = await new Promise((resolve) => server.once('exit', resolve));
  if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM`);
  say('SIGTERM → exit 0');
  say('the image builds and starts');
} finally {
  if (server.exitCode === null) server.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
