// `npm run import:legacy -- --from postgres://user:pass@host/olddb [--notify] [--timezone UTC]
//                             [--table messages] [--batch-size 5000] [--report issues.jsonl]`
// Imports the Flask service's messages into Hatch's database (DATABASE_URL, or the embedded one,
// migrated first). Never writes to the old database. Safe to run again: it imports only what is missing.
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { checkChangeFeedInstalled } from '../db/checks.ts';
import { openDatabase } from '../db/index.ts';
import { numberChanges } from '../db/tables/change-feed.ts';
import { migrate } from '../db/migrator.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_BATCH_SIZE, importLegacy } from '../modules/legacy/importer.ts';
import { OldTable } from '../modules/legacy/old-table.ts';

const USAGE =
  'usage: npm run import:legacy -- --from postgres://USER:PASSWORD@HOST:5432/OLD_DB [--notify] [--timezone UTC] [--table messages] [--batch-size 5000] [--report FILE]';

const Args = z.object({
  from: z.string({ error: '--from is required: the old database, as postgres://USER:PASSWORD@HOST:5432/DB' }).regex(/^postgres(ql)?:\/\//, '--from must be a postgres:// URL'),
  table: z.string().min(1),
  timezone: z.string().min(1),
  'batch-size': z.coerce.number({ error: '--batch-size must be a number' }).int().min(1).max(50_000),
  notify: z.boolean(),
  report: z.string().optional(),
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      table: { type: 'string', default: 'messages' },
      timezone: { type: 'string', default: 'UTC' },
      'batch-size': { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
      notify: { type: 'boolean', default: false },
      report: { type: 'string' },
    },
  });
  const args = Args.safeParse(values);
  if (!args.success) {
    console.error(`${args.error.issues.map((i) => i.message).join('\n')}\n${USAGE}`);
    return 2;
  }
  const { from, table, timezone, notify, report } = args.data;
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);

  const old = await OldTable.open(from, table, timezone);
  const issues = report ? createWriteStream(report, { flags: 'w' }) : undefined;
  try {
    // The embedded database takes one process at a time; a server holding it must stop first.
    const { db, close } = await openDatabase(config.database, log);
    try {
      await migrate(db, log);
      await checkChangeFeedInstalled(db);
      // With --notify, each batch's changes are numbered as it commits: running servers hear of
      // them at once rather than at their next periodic check (which numbers them otherwise).
      if (notify) db.afterCommit(async () => void (await numberChanges(db, true).catch(() => undefined)));
      const total = await old.begin();
      const bar = new cliProgress.SingleBar(
        {
          format: 'Importing [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}',
          stream: process.stderr,
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 5000,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { rate: 0 });
      const started = performance.now();
      const summary = await importLegacy(old, db, {
        batchSize: args.data['batch-size'],
        notify,
        onProgress: (read) => bar.update(read, { rate: Math.round(read / ((performance.now() - started) / 1000)) }),
        onIssue: issues ? (issue) => issues.write(`${JSON.stringify(issue)}\n`) : undefined,
      });
      bar.stop();
      // The import turned the feed's triggers off only inside its own transactions; say so for sure.
      await checkChangeFeedInstalled(db);
      console.log(summary.format());
      if (report) console.log(`Every row-level issue is listed in ${report}.`);
      if (!notify && summary.imported) console.log('Open inboxes show the imported history when they next load (or run with --notify to push it live).');
      return 0;
    } finally {
      await close();
    }
  } finally {
    await old.close();
    await new Promise((resolve) => (issues ? issues.end(resolve) : resolve(undefined)));
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // Each batch commits whole: running the same command again imports only what is missing.
    console.error(`import failed: ${(err as Error).message}\nNothing half-written is left; run the same command again to go on.`);
    process.exit(1);
  },
);
