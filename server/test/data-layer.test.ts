import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrator.ts';
import { apiTokenColumns } from '../db/tables/api-tokens.ts';
import { auditEventColumns } from '../db/tables/audit-events.ts';
import { invitationColumns } from '../db/tables/invitations.ts';
import { contactChangeColumns, conversationChangeColumns, feedHeadColumns, feedRetentionColumns, messageChangeColumns } from '../db/tables/change-feed.ts';
import type { TableColumns } from '../db/tables/columns.ts';
import { contactColumns } from '../db/tables/contacts.ts';
import { contactMergeColumns } from '../db/tables/people.ts';
import { webhookDeliveryColumns, webhookEndpointColumns } from '../db/tables/webhooks.ts';
import { conversationReadColumns } from '../db/tables/conversation-reads.ts';
import { conversationColumns } from '../db/tables/conversations.ts';
import { messageMediaColumns } from '../db/tables/message-media.ts';
import { statusEventColumns } from '../db/tables/message-status-events.ts';
import { messageColumns } from '../db/tables/messages.ts';
import { operatorColumns } from '../db/tables/operators.ts';
import { noteColumns, noteMentionColumns } from '../db/tables/notes.ts';
import { savedReplyColumns } from '../db/tables/saved-replies.ts';
import { scheduledMessageColumns } from '../db/tables/scheduled-messages.ts';
import { sessionColumns } from '../db/tables/sessions.ts';
import { setupLinkColumns } from '../db/tables/setup-links.ts';
import { outboxColumns } from '../db/tables/sms-outbox.ts';
import { streamTicketColumns } from '../db/tables/stream-tickets.ts';
import { silentLog, testDatabases } from '../testing/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TABLES: TableColumns[] = [
  messageColumns,
  conversationColumns,
  conversationReadColumns,
  contactColumns,
  contactMergeColumns,
  webhookEndpointColumns,
  webhookDeliveryColumns,
  messageMediaColumns,
  statusEventColumns,
  outboxColumns,
  messageChangeColumns,
  conversationChangeColumns,
  contactChangeColumns,
  feedRetentionColumns,
  feedHeadColumns,
  operatorColumns,
  sessionColumns,
  apiTokenColumns,
  setupLinkColumns,
  streamTicketColumns,
  noteColumns,
  noteMentionColumns,
  savedReplyColumns,
  scheduledMessageColumns,
  invitationColumns,
  auditEventColumns,
];

/** Every file of the running server (no tests, no benchmark), and the SQL the migrations install. */
function sources(): { file: string; text: string }[] {
  const server = readdirSync(path.join(ROOT, 'server'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !/^(generated|test|testing|bench)\//.test(f))
    .map((f) => `server/${f}`);
  const sql = readdirSync(path.join(ROOT, 'sql')).map((f) => `sql/${f}`);
  return [...server, ...sql].map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }));
}

/** Each `INSERT INTO "table" (columns…)` in a text, with the columns it names. */
function inserts(text: string): { table: string; columns: string[] }[] {
  return [...text.matchAll(/INSERT INTO "(\w+)"\s*\(([^)]*)\)/g)].map((m) => ({
    table: m[1]!,
    columns: m[2]!.split(',').map((c) => c.trim().replace(/^"|"$/g, '')),
  }));
}

describe('the data layer', () => {
  it('writes every row through server/db: no INSERT, UPDATE or DELETE of a table anywhere else', () => {
    const outside = sources()
      .filter(({ file }) => file.startsWith('server/') && !file.startsWith('server/db/'))
      .flatMap(({ file, text }) => [...text.matchAll(/(INSERT INTO|UPDATE|DELETE FROM) "(\w+)"/g)].map((m) => `${file}: ${m[0]}`));
    expect(outside).toEqual([]);
  });

  it('names, in each INSERT, every column its table reads, unless the database fills it in for every new row', () => {
    const byTable = new Map(TABLES.map((t) => [t.table, t]));
    // The migrator's own record is Prisma's table, in Prisma's shape (server/db/migrator.ts).
    const found = sources()
      .flatMap(({ file, text }) => inserts(text).map((i) => ({ ...i, file })))
      .filter((i) => i.table !== '_prisma_migrations');
    // Every table the server writes is described, and each INSERT found is one the check reads.
    expect(found.length).toBeGreaterThan(15);
    for (const insert of found) {
      const table = byTable.get(insert.table);
      expect(table, `${insert.file}: INSERT INTO "${insert.table}" has no column list in server/db/tables`).toBeDefined();
      const omitted = table!.columns.filter((c) => !insert.columns.includes(c) && !table!.filledByDatabase.includes(c));
      expect(omitted, `${insert.file}: INSERT INTO "${insert.table}" (${insert.columns.join(', ')}) leaves out`).toEqual([]);
      const unknown = insert.columns.filter((c) => !table!.columns.includes(c));
      expect(unknown, `${insert.file}: INSERT INTO "${insert.table}" names columns the table file does not know`).toEqual([]);
    }
  });

  describe.each(testDatabases())('on the $name database', ({ open }) => {
    let db: Database;
    beforeAll(async () => {
      db = await open();
      await migrate(db, silentLog);
    });
    afterAll(() => db?.close());

    it('describes each table with exactly its columns', async () => {
      for (const table of TABLES) {
        const rows = await db.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
          [table.table],
        );
        expect([...table.columns].sort(), table.table).toEqual(rows.map((r) => r.column_name).sort());
        for (const filled of table.filledByDatabase) expect(table.columns, `${table.table}.${filled}`).toContain(filled);
      }
    });
  });
});
