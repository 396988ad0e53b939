import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChangeFeedInstalled } from '../db/checks.ts';
import type { Database } from '../db/database.ts';
import { createOldDatabase, generateRowsSql, oldTableSql, type OldDatabase } from '../testing/old-service-database.ts';
import { testDatabases } from '../testing/databases.ts';
import { eventually } from '../testing/test-app.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

const runCommand = (args: string[], env: Record<string, string>) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/import-legacy.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
};

describe.skipIf(!adminUrl).each(testDatabases().filter((k) => k.name === 'postgres'))('npm run import:legacy on $name', ({ durable }) => {
  const ROWS = 30_000;
  let old: OldDatabase;
  let hatch: Awaited<ReturnType<typeof durable>>;
  let db: Database;
  beforeAll(async () => {
    old = await createOldDatabase(adminUrl!);
    await old.query(oldTableSql());
    await old.query(generateRowsSql(ROWS));
    hatch = await durable();
    db = await hatch.connect();
  });
  // A login that may only read the old table: what the import needs, and all it gets.
  const reader = `flask_reader_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await db?.close();
    await hatch?.drop();
    await old?.drop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${reader}`).finally(() => admin.end());
  });
  const messages = async () => Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM messages').catch(() => [{ n: '0' }]))[0]!.n);

  it('resumes after being killed mid-import: whole batches only, nothing twice, triggers on', async () => {
    const first = runCommand(['--from', old.url, '--batch-size', '500'], hatch.env);
    await eventually(async () => (await messages()) > 0, 60_000, 'the first batches to commit');
    first.child.kill('SIGKILL');
    await first.exited;
    const kept = await messages();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(ROWS);
    expect(kept % 500).toBe(0);
    await checkChangeFeedInstalled(db);

    const second = runCommand(['--from', old.url, '--batch-size', '2000'], hatch.env);
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toMatch(new RegExp(`imported +${(ROWS - kept).toLocaleString('en-US')}\\b`));
    expect(second.output()).toMatch(new RegExp(`skipped +${kept.toLocaleString('en-US')}\\b`));
    expect(await messages()).toBe(ROWS);
    expect(await db.query('SELECT 1 FROM message_changes LIMIT 1')).toEqual([]);
    // Each conversation is as active as its newest message, including those the killed run wrote.
    const stale = await db.query(
      `SELECT c.id FROM conversations c JOIN (SELECT conversation_id, min(created_at) AS first, max(created_at) AS last FROM messages GROUP BY 1) m
          ON m.conversation_id = c.id WHERE c.last_message_at <> m.last OR c.created_at <> m.first`,
    );
    expect(stale).toEqual([]);
    await checkChangeFeedInstalled(db);
  }, 120_000);

  it('explains what is wrong with its arguments or the old database, and writes nothing', async () => {
    const before = await messages();
    const cases: [string[], number, RegExp][] = [
      [[], 2, /--from is required/],
      [['--from', old.url, '--batch-size', 'lots'], 2, /--batch-size must be a number/],
      [['--from', old.url, '--table', 'nope'], 1, /has no table nope/],
      [['--from', old.url, '--timezone', 'Mars/Olympus'], 1, /not a time zone/],
      [['--from', hatch.env.DATABASE_URL!], 1, /is a Hatch table/],
      [['--from', `${adminUrl!.replace(/\/[^/]*$/, '')}/no_such_database_here`], 1, /Cannot connect to the old database/],
    ];
    // All at once: each is a process of its own that starts in a few seconds.
    const runs = cases.map(([args]) => runCommand(args, hatch.env));
    for (const [i, [args, code, message]] of cases.entries()) {
      expect(await runs[i]!.exited, args.join(' ')).toBe(code);
      expect(runs[i]!.output()).toMatch(message);
    }
    expect(await messages()).toBe(before);
  }, 120_000);

  it('needs nothing but SELECT on the old table, and leaves it as it was', async () => {
    await old.query(generateRowsSql(50, { first: ROWS + 1 }));
    const database = new URL(old.url).pathname.slice(1);
    await old.query(`CREATE ROLE ${reader} LOGIN`);
    await old.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
    await old.query(`GRANT CONNECT ON DATABASE ${database} TO ${reader}`);
    await old.query(`GRANT SELECT ON messages TO ${reader}`);
    const fingerprint = async () => (await old.query<{ f: string }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS f FROM messages t`))[0]!.f;
    const before = await fingerprint();
    const asReader = new URL(old.url);
    asReader.username = reader;

    const run = runCommand(['--from', asReader.toString()], hatch.env);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/imported +50\b/);
    expect(await messages()).toBe(ROWS + 50);
    expect(await fingerprint()).toBe(before);
  }, 120_000);
});
