import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { createOldDatabase, generateRowsSql, oldTableSql, type OldDatabase } from '../testing/old-service-database.ts';
import { eventually, freePort } from '../testing/test-app.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const ROOT = path.resolve(import.meta.dirname, '../..');
// Run from the old installation's folder, so its .env and .secrets/ are the ones read.
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** The process environment a person's shell would give: nothing of Hatch's or Postgres's. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(DATABASE_URL|POSTGRES_|HATCH_|TWILIO_|PORT$|HOST$)/.test(k)) env[k] = v;
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

function run(cwd: string, script: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, script), ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe.skipIf(!adminUrl)("the Flask service's .env", () => {
  let dir: string;
  let old: OldDatabase;
  let hatch: OldDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flask-install-'));
    old = await createOldDatabase(adminUrl!);
    await old.query(oldTableSql());
    await old.query(generateRowsSql(40, { contacts: 4 }));
    // An empty database on the same server for Hatch: its tables must not share the old `messages`.
    hatch = await createOldDatabase(adminUrl!);
  });
  afterAll(async () => {
    await hatch?.drop();
    await old?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts Hatch on the database server it names, with the password from .secrets/, and the import and /api work', async () => {
    const server = new URL(adminUrl!);
    mkdirSync(path.join(dir, '.secrets'));
    // The server here trusts local connections, so the password is not checked; that the file is
    // read (and its newline dropped) is checked in server/env-files.test.ts.
    writeFileSync(path.join(dir, '.secrets', 'postgres_password'), 'old-secret\n');
    // The old service's .env as it was, with keys Hatch does not know, and POSTGRES_DB changed to Hatch's database.
    writeFileSync(
      path.join(dir, '.env'),
      [
        '# Flask service',
        'FLASK_APP=app.py',
        'FLASK_ENV=production',
        'SECRET_KEY=not-used-by-hatch',
        `POSTGRES_HOST=${server.hostname}`,
        `POSTGRES_PORT=${server.port || '5432'}`,
        `POSTGRES_USER=${decodeURIComponent(server.username) || 'postgres'}`,
        'POSTGRES_PASSWORD_FILE=.secrets/postgres_password',
        `POSTGRES_DB=${new URL(hatch.url).pathname.slice(1)}`,
        '',
      ].join('\n'),
    );

    const port = await freePort();
    const start = run(dir, 'server/main.ts', [], { PORT: String(port), HOST: '127.0.0.1' });
    try {
      await eventually(
        async () => {
          if (start.child.exitCode !== null) throw new Error(`the server exited (${start.child.exitCode}):\n${start.output()}`);
          return fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
        },
        60_000,
        'the server to be ready',
      );
      // On the server's database, not the embedded one.
      expect(await hatch.query('SELECT 1 FROM _prisma_migrations LIMIT 1')).toHaveLength(1);
      // (.data/ holds only small secrets then, not an embedded database.)
      expect(existsSync(path.join(dir, '.data', 'PG_VERSION'))).toBe(false);

      // Commands read the same .env: the import, then a token for an old script.
      const imported = run(dir, 'server/cli/import-legacy.ts', ['--from', old.url]);
      expect(await imported.exited, imported.output()).toBe(0);
      expect(imported.output()).toMatch(/imported +40\b/);
      const made = run(dir, 'server/cli/admin.ts', ['token:create', '--name', 'old script']);
      expect(await made.exited, made.output()).toBe(0);
      const token = made.output().trim().split('\n').at(-1)!;

      const res = await fetch(`http://127.0.0.1:${port}/api/conversations`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const { conversations } = (await res.json()) as { conversations: { conversation_id: string }[] };
      expect(conversations).toHaveLength(4);
      expect(conversations.map((c) => c.conversation_id)).toContain(conversationId('+15550000001', '+15005550006'));
    } finally {
      start.child.kill('SIGTERM');
      await start.exited;
    }
  }, 120_000);
});
