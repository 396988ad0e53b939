import type { Database, Sql } from '../../db/database.ts';
import type { ImportRow } from './old-row.ts';

/**
 * The change-feed triggers (sql/change_feed.sql) an import turns off inside its own transactions.
 * `messages_change_feed_update` is left alone: an import only inserts.
 */
const FEED_TRIGGERS = [
  ['messages', 'messages_change_feed_insert_delete'],
  ['conversations', 'conversations_change_feed_insert'],
  ['conversations', 'conversations_change_feed_update'],
] as const;

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
    const existing = await alreadyThere(tx, rows);
    const fresh = rows.filter((r) => !existing.has(r.id));
    if (fresh.length) await insertConversations(tx, fresh);
    const imported = fresh.length ? await insertMessages(tx, fresh) : 0;
    if (!notify) await feedTriggers(tx, 'ENABLE');
    return { imported, existing };
  });
}

async function feedTriggers(tx: Sql, what: 'DISABLE' | 'ENABLE'): Promise<void> {
  // Both tables at once, in the order every writer takes them (a conversation, then its message),
  // so that waiting for the lock cannot deadlock with a send.
  if (what === 'DISABLE') await tx.exec('LOCK TABLE "conversations", "messages" IN SHARE ROW EXCLUSIVE MODE');
  for (const [table, trigger] of FEED_TRIGGERS) await tx.exec(`ALTER TABLE "${table}" ${what} TRIGGER "${trigger}"`);
  if (what === 'ENABLE') {
    const off = await tx.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE tgname = ANY($1::text[]) AND tgenabled = 'D'`,
      [FEED_TRIGGERS.map(([, t]) => t)],
    );
    if (off.length) throw new Error(`the change-feed triggers ${off.map((r) => r.tgname).join(', ')} are still disabled; rolled back`);
  }
}

async function alreadyThere(tx: Sql, rows: ImportRow[]): Promise<Map<string, boolean>> {
  const found = await tx.query<{ id: string; same: boolean }>(
    `SELECT m."id"::text AS id,
            (m."from" = i."from" AND m."to" = i."to" AND m."body" = i."body" AND m."created_at" = i."at"::timestamptz(3)) AS same
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS i("id", "from", "to", "body", "at")
       JOIN "messages" m ON m."id" = i."id"`,
    [rows.map((r) => r.id), rows.map((r) => r.from), rows.map((r) => r.to), rows.map((r) => r.body), rows.map((r) => r.createdAt)],
  );
  return new Map(found.map((r) => [r.id, r.same]));
}

/** One row per new conversation: rows come oldest first, so the first decides `ours`, as for existing data. */
async function insertConversations(tx: Sql, rows: ImportRow[]): Promise<void> {
  const byId = new Map<string, { a: string; b: string; ours: string; first: string; last: string }>();
  for (const r of rows) {
    const c = byId.get(r.conversationId);
    if (c) c.last = r.createdAt;
    else byId.set(r.conversationId, { a: r.participantA, b: r.participantB, ours: r.ours, first: r.createdAt, last: r.createdAt });
  }
  const cs = [...byId];
  await tx.query(
    `INSERT INTO "conversations" ("id", "participant_a", "participant_b", "ours", "created_at", "last_message_at")
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
     ON CONFLICT ("id") DO UPDATE SET "ours" = EXCLUDED."ours" WHERE "conversations"."ours" IS NULL`,
    [cs.map(([id]) => id), cs.map(([, c]) => c.a), cs.map(([, c]) => c.b), cs.map(([, c]) => c.ours), cs.map(([, c]) => c.first), cs.map(([, c]) => c.last)],
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
    for (let i = 0; i < ids.length; i += REFRESH_CHUNK) {
      await tx.query(
        `UPDATE "conversations" c SET "created_at" = LEAST(c."created_at", m."first"), "last_message_at" = GREATEST(c."last_message_at", m."last")
           FROM (SELECT "conversation_id", min("created_at") AS "first", max("created_at") AS "last"
                   FROM "messages" WHERE "conversation_id" = ANY($1::uuid[]) GROUP BY "conversation_id") m
          WHERE c."id" = m."conversation_id" AND (m."last" > c."last_message_at" OR m."first" < c."created_at")`,
        [ids.slice(i, i + REFRESH_CHUNK)],
      );
    }
    if (!notify) await feedTriggers(tx, 'ENABLE');
  });
}

async function insertMessages(tx: Sql, rows: ImportRow[]): Promise<number> {
  const col = <K extends keyof ImportRow>(k: K) => rows.map((r) => r[k]);
  const [row] = await tx.query<{ n: number }>(
    `WITH written AS (
       INSERT INTO "messages" ("id", "conversation_id", "from", "to", "body", "direction", "channel", "status",
                               "sent_by_kind", "sent_by_name", "created_at", "updated_at")
       SELECT i."id", i."conversation_id", i."from", i."to", i."body", i."direction"::"MessageDirection", i."channel"::"MessageChannel",
              i."status"::"MessageStatus", i."sent_by_kind"::"SenderKind", i."sent_by_name", i."created_at", i."created_at"
         -- The enums travel as text[]: the embedded database's client cannot encode an array of an enum type.
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
           AS i("id", "conversation_id", "from", "to", "body", "direction", "channel", "status", "sent_by_kind", "sent_by_name", "created_at")
       ON CONFLICT ("id") DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
    [col('id'), col('conversationId'), col('from'), col('to'), col('body'), col('direction'), col('channel'), col('status'), col('sentByKind'), col('sentByName'), col('createdAt')],
  );
  return row!.n;
}
