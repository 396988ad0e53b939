// Measures `npm run import:legacy` on a generated old table, end to end (the command as people
// run it, migrations included), then runs it again to show that a second run imports nothing:
//   npx tsx server/bench/legacy-import.ts [--rows 1000000] [--admin postgres://postgres@127.0.0.1:5432/postgres] [--notify]
// Both databases are made for the run on the admin URL's server and dropped afterwards. One row in
// a thousand is an exact repeat, one a different message reusing an id (a conflict), one has a
// wrong conversation_id and one an unknown status, so the summary's counts can be checked at scale.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createOldDatabase, generateRowsSql, oldTableSql, type OldDatabase } from '../testing/old-service-database.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    admin: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    notify: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);

function runImport(from: string, databaseUrl: string): Promise<{ seconds: number; output: string }> {
  const started = performance.now();
  const args = ['--import', 'tsx', 'server/cli/import-legacy.ts', '--from', from, ...(values.notify ? ['--notify'] : [])];
  const child = spawn(process.execPath, args, { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve({ seconds: (performance.now() - started) / 1000, output }) : reject(new Error(`import exited with ${code}\n${output}`)))),
  );
}

/** The old table, without its primary key so that ids can repeat, holding exactly `rows` rows. */
async function generate(old: OldDatabase): Promise<Record<string, number>> {
  const k = Math.floor(rows / 1000);
  await old.query(oldTableSql({ primaryKey: false }));
  await old.query(generateRowsSql(rows - 2 * k));
  // Every row's number, from its time (the generator puts them one second apart; odd ones are outbound).
  const n = `(extract(epoch FROM timestamp - timestamp '2025-01-01')::bigint)`;
  const copy = (body: string, pick: number) =>
    `INSERT INTO messages (id, to_contact, from_contact, body, type, timestamp, status, conversation_id, direction, external_sid)
       SELECT id, to_contact, from_contact, ${body}, type, timestamp, status, conversation_id, direction, external_sid
         FROM messages WHERE ${n} % 499 = ${pick} ORDER BY timestamp LIMIT ${k} RETURNING 1`;
  const planted = {
    repeats: (await old.query(copy('body', 1))).length,
    conflicts: (await old.query(copy(`body || ' (edited)'`, 2))).length,
    'wrong conversation ids': (await old.query(`UPDATE messages SET conversation_id = md5(id::text)::uuid WHERE ${n} % 1000 = 3 RETURNING 1`)).length,
    'unknown statuses': (await old.query(`UPDATE messages SET status = 'teleported' WHERE ${n} % 1000 = 5 RETURNING 1`)).length,
  };
  await old.query('ANALYZE messages');
  return planted;
}

const old = await createOldDatabase(values.admin);
const hatch = await createOldDatabase(values.admin);
try {
  const t = performance.now();
  const planted = await generate(old);
  console.log(`generated ${rows.toLocaleString('en-US')} old messages in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  console.log(`planted: ${Object.entries(planted).map(([what, count]) => `${count} ${what}`).join(', ')}`);

  const first = await runImport(old.url, hatch.url);
  console.log(first.output.trim());
  console.log(`FIRST RUN: ${rows.toLocaleString('en-US')} rows in ${first.seconds.toFixed(1)} s wall clock, command included = ${Math.round(rows / first.seconds).toLocaleString('en-US')} rows/s`);
  const [counted] = await hatch.query<{ messages: string; changes: string; outbox: string }>(
    'SELECT (SELECT count(*) FROM messages)::text AS messages, (SELECT count(*) FROM message_changes)::text AS changes, (SELECT count(*) FROM sms_outbox)::text AS outbox',
  );
  console.log(`Hatch now holds ${counted!.messages} messages; change feed rows: ${counted!.changes}; SMS outbox rows: ${counted!.outbox}`);
  const second = await runImport(old.url, hatch.url);
  console.log(second.output.trim());
  console.log(`SECOND RUN: ${second.seconds.toFixed(1)} s wall clock`);
} finally {
  await old.drop();
  await hatch.drop();
}
