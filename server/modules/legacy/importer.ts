import type { Database } from '../../db/database.ts';
import { refreshConversations, writeBatch } from './import-batch.ts';
import { convertOldRow, sameMessage, type ImportRow, type OldRow } from './old-row.ts';
import { ImportSummary, type RowIssue } from './summary.ts';

export const DEFAULT_BATCH_SIZE = 5000;

export interface ImportOptions {
  batchSize?: number;
  /** Let live subscribers see the imported messages (they go through the change feed). */
  notify?: boolean;
  /** Told the rows read so far after each batch is committed. */
  onProgress?: (read: number) => void;
  /** Told every row-level issue (for a report file). */
  onIssue?: (issue: RowIssue) => void;
}

/** Where the old rows come from: an OldTable, or anything that yields them the same way. */
export interface OldRows {
  batches(size: number): AsyncIterable<OldRow[]>;
}

/**
 * Imports the old service's messages into Hatch, a batch per transaction. Idempotent: a message
 * already there (same id, same content) is skipped, so running it again imports nothing new, and
 * after a crash it picks up the batches that did not commit.
 */
export async function importLegacy(source: OldRows, db: Database, options: ImportOptions = {}): Promise<ImportSummary> {
  const summary = new ImportSummary();
  const started = performance.now();
  // Every conversation the old table has a message of, imported now or before (see refreshConversations).
  const conversations = new Set<string>();
  const issue = (i: RowIssue) => {
    summary.record(i);
    options.onIssue?.(i);
  };
  for await (const batch of readAhead(source.batches(options.batchSize ?? DEFAULT_BATCH_SIZE))) {
    const rows = new Map<string, ImportRow>();
    for (const old of batch) {
      summary.read++;
      const converted = convertOldRow(old);
      if (!converted.ok) {
        summary.invalid++;
        issue({ id: converted.id, issue: 'invalid', reason: converted.reason });
        continue;
      }
      const { row, notes } = converted;
      const earlier = rows.get(row.id);
      if (earlier) {
        if (sameMessage(earlier, row)) summary.skipped++;
        else conflict(row.id, 'the old table has another message with this id; the first one read is kept');
        continue;
      }
      rows.set(row.id, row);
      conversations.add(row.conversationId);
      for (const note of notes) issue({ id: row.id, issue: 'note', ...note });
    }
    const { imported, existing } = rows.size ? await writeBatch(db, [...rows.values()], options.notify ?? false) : { imported: 0, existing: new Map() };
    summary.imported += imported;
    for (const [id, same] of existing) {
      if (same) summary.skipped++;
      else conflict(id, 'a different message with this id is already in Hatch; it is kept');
    }
    // Written by someone else between our check and our insert: there now, so not ours to count.
    summary.skipped += rows.size - existing.size - imported;
    summary.seconds = (performance.now() - started) / 1000;
    options.onProgress?.(summary.read);
  }
  await refreshConversations(db, [...conversations], options.notify ?? false);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;

  function conflict(id: string, reason: string) {
    summary.conflicts++;
    issue({ id, issue: 'conflict', reason });
  }
}

/** Fetches the next batch from the old database while this one is written to Hatch's. */
async function* readAhead<T>(batches: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = batches[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = iterator.next();
      yield current.value;
    }
  } finally {
    // Leaving early (a failed write): let a fetch in flight settle before the reader is closed.
    await next.catch(() => undefined);
    await iterator.return?.();
  }
}
