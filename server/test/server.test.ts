import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { migrate } from '../db/migrator.ts';
import { createApiToken } from '../modules/access/api-tokens.service.ts';
import { testConfig } from '../testing/config.ts';
import { silentLog, testDatabases } from '../testing/databases.ts';
import { startTestApp } from '../testing/test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe.each(testDatabases())('the server on the $name database', ({ open }) => {
  it('answers /health, /ready (database, migrations, LISTEN) and GraphiQL over HTTP', async () => {
    const t = await startTestApp(await open());
    try {
      const health = await fetch(`${t.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${t.url}/ready`, { headers: t.headers });
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true, listener: true }, sms: 'simulator' });
      const graphiql = await (await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html', ...t.headers } })).text();
      expect(graphiql).toMatch(/<title>Hatch GraphiQL<\/title>/);
      // Self-contained: nothing from a CDN, so it works behind a firewall; every asset it names is served.
      expect(graphiql).not.toMatch(/(src|href)="https?:/);
      // The page's scripts and styles, and the editor workers its start script names.
      const start = await (await fetch(`${t.url}/graphiql-start.js`)).text();
      const assets = [
        ...[...graphiql.matchAll(/"(\/graphiql-[^"]+)"/g)].map((m) => m[1]!),
        ...[...start.matchAll(/`\$\{assets\}(\/[^`]+)`/g)].map((m) => `/graphiql-assets/monacoeditorwork${m[1]}`),
      ];
      expect(assets.length).toBeGreaterThanOrEqual(5);
      for (const a of assets) expect((await fetch(`${t.url}${a}`)).status, a).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('answers every route from one fetch handler, in-process, without a socket', async () => {
    const db = await open();
    const app = await createApp({ db, log: silentLog, config: testConfig() });
    try {
      const health = await app.fetch(new Request('http://localhost/health'));
      expect(await health.json()).toEqual({ status: 'ok' });
      const made = await createApiToken(db, { name: 'in-process', scope: 'read', createdById: null });
      const query = await app.fetch(
        new Request('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${made.ok ? made.token : ''}` },
          body: JSON.stringify({ query: '{ smsSegments(body: "hi") { segments } }' }),
        }),
      );
      expect(await query.json()).toMatchObject({ data: { smsSegments: { segments: 1 } } });
      const page = await app.fetch(new Request('http://localhost/c/anything'));
      expect([200, 503]).toContain(page.status);
    } finally {
      await app.close();
    }
  });

  it('refuses to start when the change-feed trigger is missing', async () => {
    const db = await open();
    try {
      await migrate(db, silentLog);
      await db.exec('DROP TRIGGER messages_change_feed_update ON messages');
      await expect(createApp({ db, log: silentLog, config: testConfig() })).rejects.toThrow(
        /messages_change_feed_update.*missing or disabled/,
      );
    } finally {
      await db.close();
    }
  });
});

describe('the embedded database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hatch-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps conversations across restarts in HATCH_DATA_DIR', async () => {
    const first = await startTestApp(await createEmbeddedDatabase(dir));
    const sent = await first.gql(`mutation { sendMessage(input: { to: "Alice", body: "remember me" }) { message { id } } }`);
    await first.close();
    const second = await startTestApp(await createEmbeddedDatabase(dir));
    try {
      const { body } = await second.gql(`{ conversations(first: 5) { edges { node { lastMessage { id body } } } } }`);
      expect(body.data.conversations.edges[0].node.lastMessage).toEqual({ id: sent.body.data.sendMessage.message.id, body: 'remember me' });
    } finally {
      await second.close();
    }
  });
});

describe('npm start configuration', () => {
  it('stops with a message naming each bad key', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'not-a-port', DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT: /);
    expect(stderr).toMatch(/DATABASE_URL: must be a postgres:\/\//);
  });
});
