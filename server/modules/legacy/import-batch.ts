import { feedTriggers } from '../../db/checks.ts';
import type { Database, Sql } from '../../db/database.ts';
import { alignTimesWithMessages, importConversations } from '../../db/tables/conversations.ts';
import { existingMessages, importMessages } from '../../db/tables/messages.ts';
import type { ImportRow } from './old-row.ts';

export interface BatchResult {
  /** How many of the new rows were written. */
  imported: number;
  /** Ids already in Hatch: true when it is the same message, false when another one has that id. */
  existing: Map<string, boolean>;
}

/**
 * Writes one batch in one transaction: a crash leaves whole batches, and running again skips what
 * is there. Nothing goes to the SMS outbox, so no import sends anything.
 *
 * Unless `notify`, the batch is kept out of the change feed, so open inboxes are not flooded with
 * months of history: the transaction locks both tables against other writers (readers go on),
 * disables the feed's triggers, writes, and enables them again before it commits. Catalog changes
 * are transactional, so no other session ever sees the triggers off; writers that wait for the
 * lock then go through them as always. The feed itself is untouched: no row, no sequence number,
 * no NOTIFY, so its order and its resume guarantees are those of the writes around the import.
 * Imported messages are not counted unread. With `notify`, the triggers run as for any write, and
 * subscribers see each imported message.
 *
 * A batch only creates the conversations it needs; their activity times are set once per run by
 * `refreshConversations`. Raising them batch by batch rewrote every busy conversation's row (and
 * its indexes) once per batch, which cost as much as writing the messages.
 */
export async function writeBatch(db: Database, rows: ImportRow[], notify: boolean): Promise<BatchResult> {
  return db.transaction(async (tx) => {
    if (!notify) await feedTriggers(tx, 'DISABLE');
    const existing = await existingMessages(tx, rows);
    const fresh = rows.filter((r) => !existing.has(r.id));
    if (fresh.length) await insertConversations(tx, fresh);
    const imported = fresh.length ? await importMessages(tx, fresh) : 0;
    if (!notify) await feedTriggers(tx, 'ENABLE');
    return { imported, existing };
  });
}

/** One row per new conversation: rows come oldest first, so the first decides `ours`, as for existing data. */
async function insertConversations(tx: Sql, rows: ImportRow[]): Promise<void> {
  const byId = new Map<string, { a: string; b: string; ours: string; first: string; last: string }>();
  for (const r of rows) {
    const c = byId.get(r.conversationId);
    if (c) c.last = r.createdAt;
    else byId.set(r.conversationId, { a: r.participantA, b: r.participantB, ours: r.ours, first: r.createdAt, last: r.createdAt });
  }
  await importConversations(
    tx,
    [...byId].map(([id, c]) => ({ id, participantA: c.a, participantB: c.b, ours: c.ours, createdAt: c.first, lastMessageAt: c.last })),
  );
}

const REFRESH_CHUNK = 5000;

/**
 * Brings these conversations' times into line with their messages: created no later than the
 * first, active no earlier than the last. Run at the end of every import over each conversation
 * it read, so a run after a crash also repairs what the crashed run left. Kept out of the change
 * feed unless `notify`, as the batches are.
 */
export async function refreshConversations(db: Database, ids: string[], notify: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    if (!notify) await feedTriggers(tx, 'DISABLE');
    for (let i = 0; i < ids.length; i += REFRESH_CHUNK) await alignTimesWithMessages(tx, ids.slice(i, i + REFRESH_CHUNK));
    if (!notify) await feedTriggers(tx, 'ENABLE');
  });
}
