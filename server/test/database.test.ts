import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { numberChanges } from '../db/tables/change-feed.ts';
import { FEED_CHANNEL } from '../modules/realtime/channel.ts';
import { checkChangeFeedInstalled } from '../db/checks.ts';
import { loadMigrations, migrate, pendingMigrations } from '../db/migrator.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import { messageFromRow } from '../db/tables/messages.ts';
import { silentLog, testDatabases } from '../testing/databases.ts';

// Prisma type → information_schema data_type / udt_name of the column the migration must create.
const COLUMN_TYPES: Record<string, string[]> = {
  String: ['text', 'uuid'],
  DateTime: ['timestamp with time zone'],
  Int: ['integer'],
  BigInt: ['bigint'],
  Json: ['jsonb'],
  Boolean: ['boolean'],
};

describe.each(testDatabases())('schema and migrations on the $name database', ({ open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
    await migrate(db, silentLog);
  });
  afterAll(() => db?.close());

  it('records every migration like Prisma does, with the sha256 of its file, and re-running applies nothing', async () => {
    const files = await loadMigrations();
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at)).toBe(true);
    expect(await migrate(db, silentLog)).toEqual([]);
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('matches schema.prisma: every model field is a column of the right type and nullability, with its unique indexes', async () => {
    const pothos = getDatamodel().datamodel.models;
    // Types and nullability come from the generated Pothos datamodel; table and column names from
    // the generated client's runtime datamodel (the only place the @map/@@map names are kept).
    const names = (db.prisma as unknown as { _runtimeDataModel: { models: Record<string, { dbName: string | null; fields: { name: string; dbName?: string }[] }> } })
      ._runtimeDataModel;
    const columns = await db.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()`,
    );
    const uniques = await db.query<{ table_name: string; column_name: string }>(
      `SELECT t.relname AS table_name, a.attname AS column_name
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
        WHERE i.indisunique AND NOT i.indisprimary AND i.indnatts = 1 AND t.relnamespace = current_schema()::regnamespace`,
    );
    const enums = await db.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const enumLabels = new Map(enums.map((e) => [e.typname, e.labels]));

    let checked = 0;
    for (const [model, def] of Object.entries(pothos)) {
      const table = names.models[model]!.dbName ?? model;
      const tableColumns = columns.filter((c) => c.table_name === table);
      expect(tableColumns.length, `table ${table} for model ${model}`).toBeGreaterThan(0);
      const scalarFields = def.fields.filter((f) => f.kind !== 'object');
      expect(tableColumns.map((c) => c.column_name).sort()).toEqual(
        scalarFields.map((f) => names.models[model]!.fields.find((n) => n.name === f.name)?.dbName ?? f.name).sort(),
      );
      for (const field of scalarFields) {
        const column = names.models[model]!.fields.find((n) => n.name === field.name)?.dbName ?? field.name;
        const c = tableColumns.find((x) => x.column_name === column)!;
        expect(c.is_nullable, `${table}.${column} nullability`).toBe(field.isRequired ? 'NO' : 'YES');
        if (field.kind === 'enum') {
          expect(c.udt_name, `${table}.${column} type`).toBe(field.type);
        } else if (field.isList) {
          // An array column: its element type, as Postgres names array types (`_text`).
          expect(c.data_type, `${table}.${column} type`).toBe('ARRAY');
          expect(COLUMN_TYPES[field.type]!.map((ty) => `_${ty}`), `${table}.${column} element type`).toContain(c.udt_name);
        } else {
          expect(COLUMN_TYPES[field.type], `${table}.${column} type ${c.data_type}`).toContain(c.data_type);
        }
        if (field.isUnique) expect(uniques, `${table}.${column} unique`).toContainEqual({ table_name: table, column_name: column });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The enums the migrations create carry exactly the schema's values.
    expect(enumLabels.get('MessageStatus')).toEqual(['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'UNDELIVERED', 'FAILED', 'RECEIVED', 'STORED']);
    expect(enumLabels.get('MessageDirection')).toEqual(['INBOUND', 'OUTBOUND']);
    expect(enumLabels.get('MessageChannel')).toEqual(['SMS', 'INTERNAL', 'WHATSAPP']);
    expect(enumLabels.get('ChangeAction')).toEqual(['INSERT', 'UPDATE', 'DELETE']);
  });

  it('installs sql/change_feed.sql verbatim through a migration', async () => {
    const source = readFileSync(new URL('../../sql/change_feed.sql', import.meta.url), 'utf8');
    const migrations = await loadMigrations();
    expect(migrations.some((m) => m.sql.includes(source))).toBe(true);
    await expect(checkChangeFeedInstalled(db)).resolves.toBeUndefined();
  });

  it('reads a message out of the change feed exactly as Prisma reads it from the table', async () => {
    await db.exec(`INSERT INTO conversations (id, participant_a, participant_b) VALUES ('3a92e7c6-1951-0954-f1a5-632808a295fe', 'Alice', 'Bob')`);
    const m = await db.prisma.message.create({
      data: { conversationId: '3a92e7c6-1951-0954-f1a5-632808a295fe', from: 'Alice', to: 'Bob', body: 'héllo "quoted"\n😀', direction: 'OUTBOUND', channel: 'INTERNAL', status: 'STORED', errorCode: '21211' },
    });
    const [change] = await db.query<{ row: Record<string, unknown>; action: string }>(
      'SELECT "row", "action" FROM message_changes WHERE message_id = $1',
      [m.id],
    );
    expect(change!.action).toBe('INSERT');
    expect(messageFromRow(change!.row)).toEqual(m);
  });

  it('keeps lastMessageAt, inboundCount and updatedAt current from the database itself', async () => {
    const id = '3a92e7c6-1951-0954-f1a5-632808a295fe';
    const before = await db.prisma.conversation.findUniqueOrThrow({ where: { id } });
    const inbound = await db.prisma.message.create({
      data: { conversationId: id, from: 'Bob', to: 'Alice', body: 'in', direction: 'INBOUND', channel: 'INTERNAL', status: 'RECEIVED' },
    });
    const after = await db.prisma.conversation.findUniqueOrThrow({ where: { id } });
    expect(after.lastMessageAt.getTime()).toBe(inbound.createdAt.getTime());
    expect(after.inboundCount).toBe(before.inboundCount + 1);
    await new Promise((r) => setTimeout(r, 5));
    await db.query(`UPDATE messages SET body = 'edited' WHERE id = $1`, [inbound.id]);
    const edited = await db.prisma.message.findUniqueOrThrow({ where: { id: inbound.id } });
    expect(edited.updatedAt.getTime()).toBeGreaterThan(inbound.updatedAt.getTime());
    // An UPDATE that changes nothing is not a change.
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_changes WHERE message_id = $1', [inbound.id]))[0]!.n;
    const n = await count();
    await db.query(`UPDATE messages SET body = body WHERE id = $1`, [inbound.id]);
    expect(await count()).toBe(n);
    await db.query(`DELETE FROM messages WHERE id = $1`, [inbound.id]);
    const [del] = await db.query<{ action: string; row: { body: string } }>(
      'SELECT action, "row" FROM message_changes WHERE message_id = $1 ORDER BY id DESC LIMIT 1',
      [inbound.id],
    );
    expect(del).toMatchObject({ action: 'DELETE', row: { body: 'edited' } });
  });

  it('keeps NOTIFY payloads small (a position only), and writers send none', async () => {
    const payloads: string[] = [];
    const stop = await db.listen(FEED_CHANNEL, (p) => payloads.push(p));
    await db.prisma.message.create({
      data: { conversationId: '3a92e7c6-1951-0954-f1a5-632808a295fe', from: 'Alice', to: 'Bob', body: 'x'.repeat(1600), direction: 'OUTBOUND', channel: 'INTERNAL', status: 'STORED' },
    });
    // A writer's commit notifies nobody (a NOTIFY would make every notifying commit wait its turn).
    await new Promise((r) => setTimeout(r, 300));
    expect(payloads).toEqual([]);
    const newest = await numberChanges(db, true);
    for (let i = 0; i < 50 && payloads.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(payloads).toEqual([String(newest)]);
    expect(payloads[0]!.length).toBeLessThan(200);
  });

  it('refuses to start when the change-feed trigger is missing, naming it', async () => {
    await db.exec('ALTER TABLE messages DISABLE TRIGGER messages_change_feed_update');
    await expect(checkChangeFeedInstalled(db)).rejects.toThrow(/messages_change_feed_update.*missing or disabled/);
    await db.exec('ALTER TABLE messages ENABLE TRIGGER messages_change_feed_update');
    await db.exec('DROP TRIGGER messages_change_feed_insert_delete ON messages');
    await expect(checkChangeFeedInstalled(db)).rejects.toThrow(/messages_change_feed_insert_delete/);
  });
});

describe.each(testDatabases())("another application's database, on the $name database", ({ open }) => {
  it('is refused with what to do instead, and nothing is written to it', async () => {
    const db = await open();
    try {
      // The Flask service's table, as an old .env's POSTGRES_DB would point Hatch at it.
      await db.exec(`CREATE TABLE messages (id text PRIMARY KEY, to_contact text, from_contact text, body text)`);
      await expect(migrate(db, silentLog)).rejects.toThrow(/another application \(messages\) and nothing was written.*Flask.*npm run import:legacy/);
      const tables = await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`);
      expect(tables.map((t) => t.name)).toEqual(['messages']);
    } finally {
      await db.close();
    }
  });
});
