import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Sql } from '../db/database.ts';
import { migrate } from '../db/migrator.ts';
import { numberChanges } from '../db/tables/change-feed.ts';
import { ChangeFeed, createHatchPubSub, FeedBridge, type MessageUpdateEvent } from '../modules/realtime/index.ts';
import { silentLog, testDatabases, type DurableDatabase } from '../testing/databases.ts';

// The change feed's promise without a writer lock: every change once, in one order, resumable from
// any cursor, with no gap when transactions commit out of order. Writers here hold their
// transactions open for random times (so they commit in another order than they wrote), some
// number their own changes at once as the server does and others leave it to the periodic check;
// a reader meanwhile stops and resumes from its last cursor at random points.
const WRITERS = 32;
const CONVERSATIONS = ['8d3e1a62-0000-4000-8000-000000000001', '8d3e1a62-0000-4000-8000-000000000002', '8d3e1a62-0000-4000-8000-000000000003'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDatabases())('the change feed under concurrent writers on the $name database', (kind) => {
  let durable: DurableDatabase;
  let db: Database;
  let writers: pg.Pool | undefined;
  let bridge: FeedBridge;
  let feed: ChangeFeed;

  beforeAll(async () => {
    durable = await kind.durable();
    db = await durable.connect();
    await migrate(db, silentLog);
    for (const [i, id] of CONVERSATIONS.entries()) {
      await db.query(`INSERT INTO conversations (id, participant_a, participant_b, ours) VALUES ($1, $2, 'Operator', 'Operator')`, [id, `Writer ${i}`]);
    }
    // Postgres: writers on connections of their own, so 32 transactions are really open at once.
    if (durable.env.DATABASE_URL) {
      writers = new pg.Pool({ connectionString: durable.env.DATABASE_URL, max: WRITERS });
      // A pooled connection the database ends (the scratch database dropped WITH (FORCE) at the
      // end) is reported on the pool; unheard, it is an uncaught exception that fails the run.
      writers.on('error', () => {});
    }
    const pubsub = createHatchPubSub();
    bridge = new FeedBridge(db, pubsub, silentLog);
    await bridge.start();
    feed = new ChangeFeed(db, pubsub);
  }, 60_000);
  afterAll(async () => {
    await bridge?.stop();
    await writers?.end();
    await db?.close();
    await durable?.drop();
  });

  /** One transaction that writes `body` and commits after `holdMs`; true when it numbers its change itself. */
  async function write(body: string, conversation: string, holdMs: number, numbers: boolean): Promise<void> {
    const insert = (sql: Pick<Sql, 'query'>) =>
      sql.query(`INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) VALUES ($1, 'Operator', 'Writer', $2, 'OUTBOUND', 'INTERNAL', 'STORED')`, [conversation, body]);
    if (writers) {
      const client = await writers.connect();
      try {
        await client.query('BEGIN');
        await insert({ query: async (sql, params) => (await client.query(sql, params)).rows });
        await sleep(holdMs);
        await client.query('COMMIT');
        if (numbers) await client.query('SELECT hatch_number_feed(true)');
      } finally {
        client.release();
      }
    } else if (numbers) {
      // One connection: transactions take turns, and the bridge numbers after each (as the server does).
      await db.transaction(async (tx) => {
        await insert(tx);
        await sleep(holdMs);
      });
    } else {
      // Past the database's commit hook, as another process's write would be.
      await db.withConnection((conn) => insert(conn));
    }
  }

  /** Reads changes from `after` until `count` of them (or none for `idleMs`), then stops listening. */
  async function readFrom(after: string | undefined, count: number, idleMs = 3000): Promise<MessageUpdateEvent[]> {
    const iterator = (await feed.messages({ after }))[Symbol.asyncIterator]();
    const got: MessageUpdateEvent[] = [];
    try {
      while (got.length < count) {
        const next = await Promise.race([iterator.next(), sleep(idleMs).then(() => undefined)]);
        if (!next || next.done) break;
        got.push(next.value);
      }
    } finally {
      await iterator.return?.();
    }
    return got;
  }

  it('gives every change once, in one order, to a reader that stops and resumes anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ holdMs: fc.integer({ min: 0, max: 40 }), conversation: fc.constantFrom(...CONVERSATIONS), numbers: fc.boolean() }), {
          minLength: WRITERS,
          maxLength: WRITERS,
        }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 4, maxLength: 8 }),
        async (plan, stops) => {
          const run = `run ${Math.random().toString(36).slice(2)}`;
          const start = (await feed.newest()).toString();
          // The reader stops after each number of changes in `stops`, and resumes from its last cursor.
          const reading = (async () => {
            const seen: MessageUpdateEvent[] = [];
            let cursor = start;
            for (const stop of [...stops, WRITERS]) {
              const got = await readFrom(cursor, stop);
              seen.push(...got);
              if (got.length) cursor = got.at(-1)!.cursor;
              if (seen.filter((e) => e.message?.body.startsWith(run)).length >= WRITERS) break;
            }
            return seen;
          })();
          await Promise.all(plan.map((w, i) => write(`${run} ${i}`, w.conversation, w.holdMs, w.numbers)));
          const seen = (await reading).filter((e) => e.message?.body.startsWith(run));

          // Each change once, and positions only grow.
          expect(seen.map((e) => e.message!.body).sort()).toEqual(plan.map((_, i) => `${run} ${i}`).sort());
          const positions = seen.map((e) => BigInt(e.cursor));
          expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);

          // From any cursor, a reader gets exactly what followed it, in the same order.
          for (const at of [0, Math.floor(seen.length / 3), seen.length - 1]) {
            const replay = (await readFrom(seen[at]!.cursor, seen.length - at - 1, 1000)).filter((e) => e.message?.body.startsWith(run));
            expect(replay.map((e) => e.cursor)).toEqual(seen.slice(at + 1).map((e) => e.cursor));
          }
        },
      ),
      { numRuns: 3 },
    );
  }, 120_000);

  it('numbers changes left by a writer that never numbers them, within the periodic check', async () => {
    const before = await feed.newest();
    await write('left for the check', CONVERSATIONS[0]!, 0, false);
    const [change] = await readFrom(before.toString(), 1, 3000);
    expect(change?.message?.body).toBe('left for the check');
    // Nothing is left without a position, and a numbering with nothing to do changes nothing.
    const [pending] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_changes WHERE seq IS NULL');
    expect(pending!.n).toBe(0);
    expect(await numberChanges(db, true)).toBe(await feed.newest());
  });
});
