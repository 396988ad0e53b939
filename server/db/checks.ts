import type { Database } from './database.ts';

export class ChangeFeedMissingError extends Error {}

const REQUIRED_TRIGGERS = [
  'messages_change_feed_insert_delete',
  'messages_change_feed_update',
  'conversations_change_feed_insert',
  'conversations_change_feed_update',
];

/**
 * Live updates depend on the triggers in sql/change_feed.sql. A database restored without
 * them would accept writes that no subscriber ever hears of, so the server refuses to start.
 */
export async function checkChangeFeedInstalled(db: Pick<Database, 'query'>): Promise<void> {
  const rows = await db.query<{ tgname: string }>(
    `SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE c.relname IN ('messages', 'conversations') AND c.relnamespace = current_schema()::regnamespace
        AND NOT t.tgisinternal AND t.tgenabled <> 'D'`,
  );
  const present = new Set(rows.map((r) => r.tgname));
  const missing = REQUIRED_TRIGGERS.filter((t) => !present.has(t));
  if (missing.length) {
    throw new ChangeFeedMissingError(
      `The change-feed trigger${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `${missing.length > 1 ? 'are' : 'is'} missing or disabled, so live updates would be lost. ` +
        'Re-apply sql/change_feed.sql (the newest migration under prisma/migrations embeds it) and restart.',
    );
  }
}

/**
 * The change-feed triggers an import turns off inside its own transactions (sql/change_feed.sql).
 * `messages_change_feed_update` is left alone: an import only inserts.
 */
const IMPORT_QUIET_TRIGGERS = [
  ['messages', 'messages_change_feed_insert_delete'],
  ['conversations', 'conversations_change_feed_insert'],
  ['conversations', 'conversations_change_feed_update'],
] as const;

/**
 * Turns the feed's insert triggers off (or on again) for the rest of this transaction. Both tables
 * are locked first, in the order every writer takes them (a conversation, then its message), so
 * that waiting for the lock cannot deadlock with a send; readers go on. Catalog changes are
 * transactional: no other session ever sees the triggers off. Turning them on checks that they are.
 */
export async function feedTriggers(tx: Pick<Database, 'exec' | 'query'>, what: 'DISABLE' | 'ENABLE'): Promise<void> {
  if (what === 'DISABLE') await tx.exec('LOCK TABLE "conversations", "messages" IN SHARE ROW EXCLUSIVE MODE');
  for (const [table, trigger] of IMPORT_QUIET_TRIGGERS) await tx.exec(`ALTER TABLE "${table}" ${what} TRIGGER "${trigger}"`);
  if (what === 'ENABLE') {
    const off = await tx.query<{ tgname: string }>(`SELECT tgname FROM pg_trigger WHERE tgname = ANY($1::text[]) AND tgenabled = 'D'`, [
      IMPORT_QUIET_TRIGGERS.map(([, t]) => t),
    ]);
    if (off.length) throw new Error(`the change-feed triggers ${off.map((r) => r.tgname).join(', ')} are still disabled; rolled back`);
  }
}
