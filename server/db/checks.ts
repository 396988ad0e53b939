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
