import { Repeater } from '@repeaterjs/repeater';
import { badUserInput, cursorExpired } from '../../lib/errors.ts';

const CURSOR = /^\d{1,19}$/;

/** A `cursor` a client saw, as a feed position; BAD_USER_INPUT when it cannot be one. */
export function parseCursor(cursor: string): bigint {
  if (!CURSOR.test(cursor)) throw badUserInput(`"${cursor}" is not a cursor this server gave out.`);
  return BigInt(cursor);
}

/**
 * A subscription that resumes after `after`: every change after it from the feed tables, then the
 * live changes, with no gap and no duplicate at the seam.
 *
 * The live listener is attached before the tables are read, and what it hears meanwhile is held.
 * A change is either committed before the listener was attached (then the table has it) or
 * published after (then the listener has it); both are delivered in cursor order, each once.
 */
export function resumeAfter<T extends { cursor: string }>(
  after: bigint,
  live: AsyncIterable<T>,
  readAfter: (position: bigint) => Promise<T[]>,
  batchSize: number,
  stillKept: () => Promise<boolean>,
): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    let last = after;
    let replaying = true;
    const held: T[] = [];
    const iterator = live[Symbol.asyncIterator]();
    let ended = false;
    // Once the subscriber leaves, stop listening at once: an unread listener would pile up events.
    const stopped = stop.then(() => {
      ended = true;
      void iterator.return?.();
      return undefined;
    });
    // Listening starts now, before the first read of the tables.
    let next = iterator.next();
    const listening = (async () => {
      for (;;) {
        const result = await Promise.race([next, stopped]);
        if (!result || result.done) return;
        next = iterator.next();
        if (replaying) held.push(result.value);
        else if (BigInt(result.value.cursor) > last) {
          last = BigInt(result.value.cursor);
          await push(result.value);
        }
      }
    })();
    try {
      while (!ended) {
        const batch = await readAfter(last);
        for (const change of batch) {
          if (ended) break;
          await push(change);
          last = BigInt(change.cursor);
        }
        if (batch.length < batchSize) break;
      }
      // Retention could have pruned under a replay from an old cursor: the client must refetch.
      if (!(await stillKept())) throw cursorExpired();
      // Hand over to live without a gap: what arrived meanwhile first (more may arrive while these
      // are pushed), and only once nothing is held does the listener push by itself.
      while (held.length) {
        const change = held.shift()!;
        if (BigInt(change.cursor) <= last) continue;
        last = BigInt(change.cursor);
        await push(change);
      }
      replaying = false;
    } catch (err) {
      stop(err);
    }
    await Promise.race([listening, stopped]);
  });
}
