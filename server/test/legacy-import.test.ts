import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { importLegacy } from '../modules/legacy/importer.ts';
import { createOldDatabase, generateRowsSql, oldTableSql, type OldDatabase } from '../testing/old-service-database.ts';
import { openOldDatabase, OldTable } from '../modules/legacy/old-table.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { readEvents } from './legacy-sse-client.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const GENERATED = 400;
const ids = {
  wrongConversation: 'aaaaaaaa-0000-4000-8000-000000000001',
  duplicate: 'aaaaaaaa-0000-4000-8000-000000000002',
  nul: 'aaaaaaaa-0000-4000-8000-000000000003',
  unknownStatus: 'aaaaaaaa-0000-4000-8000-000000000004',
  noTime: 'aaaaaaaa-0000-4000-8000-000000000005',
  named: 'aaaaaaaa-0000-4000-8000-000000000006',
};
// Rows read: the generated ones and 7 made by hand (the duplicate id three times, one of them different).
const READ = GENERATED + 8;

const count = async (t: TestApp, table: string) => Number((await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0]!.n);
const fingerprint = async (old: OldDatabase) => (await old.query<{ f: string }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS f FROM messages t`))[0]!.f;
const importOnce = async (old: OldDatabase, t: TestApp, options: { notify?: boolean; batchSize?: number } = {}) => {
  const table = await OldTable.open(old.url, 'messages', 'UTC');
  try {
    await table.begin();
    return await importLegacy(table, t.db, { batchSize: 100, ...options });
  } finally {
    await table.close();
  }
};

describe.skipIf(!adminUrl).each(testDatabases())("importing the Flask service's messages into the $name database", ({ open }) => {
  let t: TestApp;
  let old: OldDatabase;
  beforeAll(async () => {
    t = await startTestApp(await open());
    old = await createOldDatabase(adminUrl!);
    // The old model's table, with no primary key (so an id can repeat) and bytes for a body (so a NUL can be there).
    await old.query(oldTableSql({ primaryKey: false, bodyType: 'bytea' }));
    await old.query(generateRowsSql(GENERATED, { contacts: 20, bodyType: 'bytea' }));
    const row = `INSERT INTO messages (id, to_contact, from_contact, body, timestamp, status, conversation_id, direction) VALUES ($1, $2, $3, convert_to($4, 'UTF8'), $5, $6, $7, $8)`;
    const at = '2024-12-31 23:00:00';
    await old.query(row, [ids.wrongConversation, '+15550000001', '+15005550006', 'wrong id', at, 'delivered', '11111111-2222-3333-4444-555555555555', 'outbound-api']);
    // The same message twice, then another message with its id (later, so it is read last).
    for (const [body, time] of [['twice', at], ['twice', at], ['not the same', '2024-12-31 23:30:00']]) {
      await old.query(row, [ids.duplicate, '+15005550006', '+15550000002', body, time, 'received', conversationId('+15005550006', '+15550000002'), 'inbound']);
    }
    await old.query(`INSERT INTO messages (id, to_contact, from_contact, body, timestamp, status, conversation_id, direction) VALUES ($1, 'Ann', 'Front desk', '\\x6e756c0068657265'::bytea, $2, 'sent', $3, 'outbound-api')`, [ids.nul, at, conversationId('Ann', 'Front desk')]);
    await old.query(row, [ids.unknownStatus, '+15550000003', '+15005550006', 'odd status', at, 'teleported', conversationId('+15550000003', '+15005550006'), 'outbound-api']);
    await old.query(row, [ids.noTime, '+15550000004', '+15005550006', 'when?', null, 'sent', conversationId('+15550000004', '+15005550006'), 'outbound-api']);
    await old.query(row, [ids.named, 'Front desk', 'Bob', 'hi desk', '2024-12-31 22:00:00', 'received', conversationId('Bob', 'Front desk'), 'inbound-api']);
  });
  afterAll(async () => {
    await t?.close();
    await old?.drop();
  });

  it('imports every importable row once, says what it did, never sends, and leaves the old table as it was', async () => {
    const before = { old: await fingerprint(old), changes: await count(t, 'message_changes'), conversationChanges: await count(t, 'conversation_changes') };
    const listener = await readEvents(`${t.url}/api/events`, t.headers);
    await listener.until((ev) => ev.length >= 1);

    const summary = await importOnce(old, t);
    expect(summary).toMatchObject({ read: READ, imported: GENERATED + 5, skipped: 1, conflicts: 1, invalid: 1, conversationIdsDiffer: 1, repairedText: 1 });
    expect([...summary.unknownStatuses]).toEqual([['teleported', 1]]);
    expect(summary.format()).toMatch(/imported +405[\s\S]*conflicts +1[\s\S]*teleported/);

    expect(await count(t, 'messages')).toBe(GENERATED + 5);
    expect(await count(t, 'sms_outbox')).toBe(0);
    // Not in the change feed, so no open inbox heard of it.
    expect(await count(t, 'message_changes')).toBe(before.changes);
    expect(await count(t, 'conversation_changes')).toBe(before.conversationChanges);
    await new Promise((r) => setTimeout(r, 300));
    expect(listener.events.filter((e) => e.data.type === 'message_update')).toEqual([]);
    listener.close();
    expect(await fingerprint(old)).toBe(before.old);

    const one = async (id: string) => (await t.db.query<Record<string, any>>('SELECT * FROM messages WHERE id = $1', [id]))[0]!;
    expect((await one(ids.wrongConversation)).conversation_id).toBe(conversationId('+15550000001', '+15005550006'));
    expect(await one(ids.duplicate)).toMatchObject({ body: 'twice', direction: 'INBOUND', status: 'RECEIVED', sent_by_kind: 'SMS_CONTACT', sent_by_name: '+15550000002' });
    expect(await one(ids.nul)).toMatchObject({ body: 'nul\uFFFDhere', channel: 'INTERNAL', status: 'STORED', sent_by_kind: 'SYSTEM' });
    expect(await one(ids.unknownStatus)).toMatchObject({ status: 'SENT', channel: 'SMS', direction: 'OUTBOUND' });
    expect(new Date((await one(ids.named)).created_at).toISOString()).toBe('2024-12-31T22:00:00.000Z');

    // Each conversation knows which side is ours, by the rule existing data got.
    const conversation = async (a: string, b: string) => (await t.db.query<Record<string, any>>('SELECT * FROM conversations WHERE id = $1', [conversationId(a, b)]))[0]!;
    expect((await conversation('Bob', 'Front desk')).ours).toBe('Front desk');
    expect((await conversation('+15550000002', '+15005550006')).ours).toBe('+15005550006');
    expect(await t.db.query('SELECT id FROM conversations WHERE ours IS NULL')).toEqual([]);
    expect(await t.db.query('SELECT id FROM conversations WHERE inbound_count <> 0')).toEqual([]);
    // The conversation list puts it where its last message puts it.
    const [latest] = await t.db.query<{ last: Date }>(`SELECT max(last_message_at) AS last FROM conversations`);
    expect(new Date(latest!.last).toISOString()).toBe(new Date(Date.UTC(2025, 0, 1) + GENERATED * 1000).toISOString());
  });

  it('imports nothing new the second time', async () => {
    const summary = await importOnce(old, t, { batchSize: 7 });
    expect(summary).toMatchObject({ read: READ, imported: 0, skipped: GENERATED + 6, conflicts: 1, invalid: 1 });
    expect(await count(t, 'messages')).toBe(GENERATED + 5);
  });

  it('reports an id Hatch already uses for another message as a conflict and keeps Hatch’s', async () => {
    await t.db.query(`UPDATE messages SET body = 'changed in Hatch' WHERE id = $1`, [ids.named]);
    const summary = await importOnce(old, t);
    expect(summary).toMatchObject({ imported: 0, conflicts: 2 });
    expect(summary.examples).toContainEqual(expect.objectContaining({ id: ids.named, issue: 'conflict' }));
    expect((await t.db.query<{ body: string }>('SELECT body FROM messages WHERE id = $1', [ids.named]))[0]!.body).toBe('changed in Hatch');
  });

  it('with notify, publishes what it imports to live subscribers, in feed order', async () => {
    const listener = await readEvents(`${t.url}/api/events`, t.headers);
    await listener.until((ev) => ev.length >= 1);
    await old.query(generateRowsSql(30, { first: 100_000, contacts: 5, bodyType: 'bytea' }));
    const summary = await importOnce(old, t, { notify: true });
    expect(summary.imported).toBe(30);
    const updates = (await listener.until((ev) => ev.filter((e) => e.data.type === 'message_update').length >= 30)).filter((e) => e.data.type === 'message_update');
    expect(updates.every((e) => e.data.action === 'INSERT')).toBe(true);
    const cursors = updates.map((e) => BigInt(e.id!));
    for (let i = 1; i < cursors.length; i++) expect(cursors[i]! > cursors[i - 1]!).toBe(true);
    listener.close();
  });

  it('lets the server go on writing through the feed while a quiet import runs', async () => {
    await old.query(generateRowsSql(3000, { first: 200_000, contacts: 50, bodyType: 'bytea' }));
    const listener = await readEvents(`${t.url}/api/events`, t.headers);
    await listener.until((ev) => ev.length >= 1);
    const importing = importOnce(old, t, { batchSize: 500 });
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${t.url}/api/send_message`, { method: 'POST', headers: { ...t.headers, 'content-type': 'application/json' }, body: JSON.stringify({ to: `During ${i}`, from: 'Desk', body: 'live' }) });
      sent.push(((await res.json()) as { message_id: string }).message_id);
    }
    expect((await importing).imported).toBe(3000);
    const heard = await listener.until((ev) => ev.filter((e) => e.data.type === 'message_update').length >= 10);
    expect(heard.filter((e) => e.data.type === 'message_update').map((e) => e.data.message_id)).toEqual(sent);
    listener.close();
  });

  it('cannot write to the old database', async () => {
    const client = await openOldDatabase(old.url);
    try {
      await expect(client.query(`DELETE FROM messages`)).rejects.toThrow(/read-only transaction/);
      await expect(client.query(`CREATE TABLE hatch_was_here (x int)`)).rejects.toThrow(/read-only transaction/);
    } finally {
      await client.end();
    }
  });
});
