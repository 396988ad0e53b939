import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../modules/access/api-tokens.service.ts';
import { testDatabases, type DurableDatabase } from '../testing/databases.ts';
import { eventually, freePort, startTestApp, TEST_PASSWORD } from '../testing/test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Runs `npm run <command>` as a person would, through what its script runs (server/build/command.mjs:
 * the build when it is fresh, else the source through tsx), with `stdin` typed in.
 */
function command(env: Record<string, string>, args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(['server/build/command.mjs', 'admin', ...args], env, stdin);
}

function run(argv: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

/**
 * What a command (its TypeScript source, where every package is a module of its own) loads: the
 * URL of every module it resolves. A command starts in well under a second only if it leaves
 * these alone (docs/performance.md).
 */
async function loaded(file: string, env: Record<string, string>, args: string[]): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hatch-trace-'));
  try {
    const trace = path.join(dir, 'modules');
    await run(['--import', 'tsx', '--import', './server/testing/trace-modules.mjs', file, ...args], { ...env, TRACE_MODULES: trace });
    return readFileSync(trace, 'utf8').trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** GraphQL, Twilio's library, Prisma's client and libphonenumber's full metadata: the slowest to load, and no command's business. */
const HEAVY = [
  /\/node_modules\/(graphql|graphql-yoga|@graphql-yoga\/[^/]+|@pothos\/[^/]+|@prisma\/client|@prisma\/adapter-pg|pglite-prisma-adapter)\//,
  /\/node_modules\/libphonenumber-js\/(max\/|metadata\.(max|full))/,
  /\/node_modules\/twilio\/(?!lib\/webhooks\/webhooks\.js$)/,
  /\/server\/generated\/prisma\//,
];
const heavy = (urls: string[]) => urls.filter((u) => HEAVY.some((h) => h.test(u)));
const uses = (urls: string[], pkg: string) => urls.some((u) => u.includes(`/node_modules/${pkg}/`));

const lastLine = (s: string) => s.trim().split('\n').at(-1)!;

async function gqlAs(url: string, token: string, query: string) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return { status: res.status, body: await res.json() };
}

async function signIn(url: string, email: string, password: string) {
  return fetch(`${url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
}

describe('the operator and token commands on the embedded database', () => {
  let store: DurableDatabase;
  let server: ChildProcess | undefined;
  let url = '';
  beforeAll(async () => {
    store = await testDatabases()[0]!.durable();
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await store?.drop();
  });

  async function startServer() {
    const port = await freePort();
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...store.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: '' },
      stdio: 'ignore',
    });
    url = `http://127.0.0.1:${port}`;
    await eventually(() => fetch(`${url}/ready`).then((r) => r.ok, () => false), 30_000, 'the server to start');
  }

  it('work with the server stopped', async () => {
    const op = await command(store.env, ['operator:create', '--email', 'ana@example.com', '--name', 'Ana'], `${TEST_PASSWORD}\n`);
    expect(op).toMatchObject({ code: 0 });
    // The first operator is an admin whatever is asked; the link is one a person can open.
    expect(op.stdout).toMatch(/Created admin Ana <ana@example.com>\. They can sign in at http:\/\/localhost:\d+\/sign-in/);
    expect((await command(store.env, ['operator:create', '--email', 'x@example.com', '--role', 'boss'])).code).toBe(2);
    expect(op.stdout + op.stderr).not.toContain(TEST_PASSWORD);
    const weak = await command(store.env, ['operator:create', '--email', 'bo@example.com'], 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/password: A password needs at least 10 characters/);
    const made = await command(store.env, ['token:create', '--name', 'nightly report', '--scope', 'read']);
    expect(made.code).toBe(0);
    expect(lastLine(made.stdout)).toMatch(/^hatch_[A-Za-z0-9_-]{43}$/);
    expect(made.stdout.trim().split('\n')).toHaveLength(1); // the token alone on stdout, for scripts
    const list = await command(store.env, ['token:list']);
    expect(list.stdout).toMatch(/^nightly report\tread\tworking\tnever used/m);
    expect(list.stdout).not.toContain(lastLine(made.stdout));
    expect((await command(store.env, ['token:create', '--name', 'x', '--scope', 'admin'])).code).toBe(2);
    expect((await command(store.env, ['token:revoke'])).code).toBe(2);

    // On the database itself: the embedded database's driver, and nothing of the server's.
    const direct = await loaded('server/cli/admin.ts', store.env, ['token:list']);
    expect(uses(direct, '@electric-sql/pglite')).toBe(true);
    expect(heavy(direct)).toEqual([]);
    expect(uses(direct, 'pg')).toBe(false);
    // Nothing to log: no logger either (at a terminal, pino-pretty's worker would hold up the exit).
    expect(uses(direct, 'pino')).toBe(false);

    // What they made works once the server starts.
    await startServer();
    expect((await gqlAs(url, lastLine(made.stdout), '{ viewer { name } }')).body.data.viewer.name).toBe('nightly report');
    expect((await signIn(url, 'ana@example.com', TEST_PASSWORD)).status).toBe(200);
  }, 120_000);

  it('work through the running server, which holds the embedded database', async () => {
    // A second server on the same folder would corrupt it: refused.
    const second = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...store.env, PORT: String(await freePort()), LOG_LEVEL: 'info', DATABASE_URL: '' },
    });
    let out = '';
    second.stdout.on('data', (d) => (out += d));
    expect(await new Promise((r) => second.on('exit', r))).toBe(1);
    expect(out).toMatch(/in use by process \d+ \(a Hatch server at http:\/\/127\.0\.0\.1:\d+\)/);

    const made = await command(store.env, ['token:create', '--name', 'while running', '--scope', 'send']);
    expect(made.code).toBe(0);
    const token = lastLine(made.stdout);
    const sent = await gqlAs(url, token, 'mutation { sendMessage(input: { to: "Desk", body: "hi" }) { errors { code } } }');
    expect(sent.body.data.sendMessage.errors).toEqual([]);
    const op = await command(store.env, ['operator:create', '--email', 'cy@example.com', '--role', 'admin'], `${TEST_PASSWORD}\n`);
    expect(op.code).toBe(0);
    expect(op.stdout).toMatch(/^Created admin cy <cy@example.com>/);
    const agent = await command(store.env, ['operator:create', '--email', 'di@example.com'], `${TEST_PASSWORD}\n`);
    expect(agent.stdout).toMatch(/^Created agent di <di@example.com>/);
    const cy = await signIn(url, 'cy@example.com', TEST_PASSWORD);
    expect(cy.status).toBe(200);
    // The audit log says who made them: someone at the server's command line.
    const log = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cy.headers.get('set-cookie')!.split(';')[0]!, origin: url },
      body: JSON.stringify({ query: '{ auditLog(first: 50) { edges { node { action actorKind targetName role } } } }' }),
    });
    const actions = ((await log.json()).data.auditLog.edges as { node: unknown }[]).map((e) => e.node);
    expect(actions).toContainEqual({ action: 'OPERATOR_CREATED', actorKind: 'COMMAND', targetName: 'cy', role: 'ADMIN' });
    expect(actions).toContainEqual({ action: 'OPERATOR_CREATED', actorKind: 'COMMAND', targetName: 'di', role: 'AGENT' });
    expect(actions).toContainEqual({ action: 'TOKEN_CREATED', actorKind: 'COMMAND', targetName: 'while running', role: null });
    const list = await command(store.env, ['token:list']);
    expect(list.stdout).toMatch(/^while running\tsend\tworking\tlast used/m);

    const revoked = await command(store.env, ['token:revoke', '--name', 'while running']);
    expect(revoked).toMatchObject({ code: 0 });
    // Through the server, no database driver at all.
    const through = await loaded('server/cli/admin.ts', store.env, ['token:list']);
    expect(heavy(through)).toEqual([]);
    expect(['pg', '@electric-sql/pglite', 'pino'].filter((pkg) => uses(through, pkg))).toEqual([]);
    expect((await gqlAs(url, token, '{ viewer { name } }')).status).toBe(401);
    const missing = await command(store.env, ['token:revoke', '--name', 'while running']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No working API token is named "while running"/);

    // The local route the commands use is for them alone.
    const forged = await fetch(`${url}/_local/admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hatch-local-admin': 'guess' },
      body: JSON.stringify({ command: 'token:list' }),
    });
    expect(forged.status).toBe(403);
  }, 120_000);
});

const postgres = testDatabases().find((k) => k.name === 'postgres');

describe.skipIf(!postgres)('the token commands on Postgres, beside a running server', () => {
  it('revoke a token the server is using, at once', async () => {
    const store = await postgres!.durable();
    const t = await startTestApp(await store.connect());
    try {
      const made = await command(store.env, ['token:create', '--name', 'pg', '--scope', 'read']);
      const token = lastLine(made.stdout);
      expect((await gqlAs(t.url, token, '{ viewer { name } }')).body.data.viewer.name).toBe('pg');
      expect((await command(store.env, ['token:revoke', '--name', 'pg'])).code).toBe(0);
      expect((await gqlAs(t.url, token, '{ viewer { name } }')).status).toBe(401);
      // And the other way round: made by the server, listed by the command.
      await createApiToken(t.db, { name: 'made in the app', scope: 'send', createdById: null });
      expect((await command(store.env, ['token:list'])).stdout).toMatch(/^made in the app\tsend\tworking/m);
      const modules = await loaded('server/cli/admin.ts', store.env, ['token:list']);
      expect(uses(modules, 'pg')).toBe(true);
      expect(heavy(modules)).toEqual([]);
      expect(uses(modules, '@electric-sql/pglite')).toBe(false);
    } finally {
      await t.close();
      await store.drop();
    }
  });
});

describe('npm run sms:inbound', () => {
  it('loads the webhook signature alone, not Twilio\'s library, GraphQL or a database', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hatch-sms-'));
    // Nothing listens on port 9: the command loads all it would, then fails to post.
    const modules = await loaded('server/cli/sms-inbound.ts', { HATCH_DATA_DIR: dataDir }, ['--from', '+15551234567', '--body', 'hi', '--url', 'http://127.0.0.1:9']);
    rmSync(dataDir, { recursive: true, force: true });
    expect(modules.some((u) => u.endsWith('/node_modules/twilio/lib/webhooks/webhooks.js'))).toBe(true);
    expect(heavy(modules)).toEqual([]);
    expect(['pg', '@electric-sql/pglite'].filter((pkg) => uses(modules, pkg))).toEqual([]);
  });
});
