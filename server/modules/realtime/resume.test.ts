import { Repeater } from '@repeaterjs/repeater';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resumeAfter } from './resume.ts';

type Change = { cursor: string };
const change = (n: number): Change => ({ cursor: String(n) });

/**
 * The seam between the replay (the tables) and the live stream, without a database: a replay read
 * whose rows the live stream also delivers, and live changes that arrive while the replay runs.
 * Runs whatever database the suite is on, so the seam is checked by `npm test` alone.
 */
async function resumeScenario(opts: { after: number; inTables: number; overlap: number; liveDuring: number; liveAfter: number; batch: number }) {
  const { after, inTables, overlap, liveDuring, liveAfter, batch } = opts;
  let publish!: (c: Change) => Promise<unknown>;
  let attached!: () => void;
  const listening = new Promise<void>((r) => (attached = r));
  const live = new Repeater<Change>(async (push, stop) => {
    publish = push;
    attached();
    await stop;
  });
  // Committed before the listener was attached: positions after+1 … after+inTables.
  const tables = Array.from({ length: inTables }, (_, i) => change(after + 1 + i));
  let reads = 0;
  const readAfter = async (position: bigint) => {
    await listening;
    // While the first page is read, later changes commit: the listener hears them, and (overlap)
    // the tables already have some of them too.
    if (reads++ === 0) {
      const top = after + inTables;
      for (let i = 1; i <= liveDuring; i++) {
        const c = change(top + i);
        if (i <= overlap) tables.push(c);
        void publish(c);
      }
    }
    return tables.filter((c) => BigInt(c.cursor) > position).slice(0, batch);
  };
  const seen: number[] = [];
  const total = inTables + liveDuring + liveAfter;
  const iterator = resumeAfter(BigInt(after), live, readAfter, batch, async () => true)[Symbol.asyncIterator]();
  let publishedAfter = false;
  while (seen.length < total) {
    const pending = iterator.next();
    // Once everything so far is delivered, more changes are published live.
    if (!publishedAfter && seen.length === inTables + liveDuring) {
      publishedAfter = true;
      await listening;
      for (let i = 1; i <= liveAfter; i++) void publish(change(after + inTables + liveDuring + i));
    }
    const next = await pending;
    if (next.done) break;
    seen.push(Number(next.value.cursor));
  }
  await iterator.return?.();
  return { seen, expected: Array.from({ length: total }, (_, i) => after + 1 + i) };
}

describe('resuming at the seam between replay and live', () => {
  it('delivers every change once, in order, when the live stream repeats what the tables hold', async () => {
    const { seen, expected } = await resumeScenario({ after: 10, inTables: 7, overlap: 3, liveDuring: 5, liveAfter: 4, batch: 3 });
    expect(seen).toEqual(expected);
  });

  it('holds for any sizes of replay, overlap, page and live traffic', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          after: fc.integer({ min: 0, max: 1000 }),
          inTables: fc.integer({ min: 0, max: 30 }),
          liveDuring: fc.integer({ min: 0, max: 20 }),
          liveAfter: fc.integer({ min: 0, max: 10 }),
          batch: fc.integer({ min: 1, max: 8 }),
          overlapShare: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        async ({ overlapShare, ...o }) => {
          const { seen, expected } = await resumeScenario({ ...o, overlap: Math.floor(o.liveDuring * overlapShare) });
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
