import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const SEND = `mutation($to: String!, $body: String!) { sendMessage(input: { to: $to, body: $body }) { message { to conversationId } errors { code } } }`;
const UPDATE = `mutation($address: String!, $name: String, $notes: String) { updateContact(input: { address: $address, name: $name, notes: $notes }) { errors { code } } }`;
const MERGE = `mutation($into: String!, $address: String!) { mergeContacts(input: { into: $into, address: $address }) { contact { address name notes addresses { address name } conversations { id } } undoId errors { code field message } } }`;
const UNDO = `mutation($id: ID!) { undoContactMerge(id: $id) { contact { address name addresses { address } } errors { code } } }`;
const READ = `query($to: String!) { recipient(to: $to) { kind address error { code } } }`;
const LIST = `query($search: String!) { contacts(search: $search) { edges { node { address name addresses { address } conversations { id } } } } }`;

// One person, several addresses: merged, read together, undone exactly by whoever merged.
describe.each(testDatabases())('one person with several addresses, on the $name database', ({ name: dbName, open }) => {
  let t: TestApp;
  // Numbers of this file's own (and of this database's run), so other files' contacts do not answer.
  const n = (i: number) => `+1555309${dbName === 'postgres' ? 1 : 2}${String(i).padStart(3, '0')}`;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  /** Every contact row of these addresses and every merge, as they are: what "nothing changed" compares. */
  const rows = (addresses: string[]) =>
    t.db.query(`SELECT address, name, notes, person_id, opted_out FROM contacts WHERE address = ANY($1::text[]) ORDER BY address`, [addresses]);
  const merges = async () => Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM contact_merges'))[0]!.n);
  const send = async (to: string, body: string) => (await t.gql(SEND, { to, body })).body.data.sendMessage.message as { to: string; conversationId: string };
  const merge = async (into: string, address: string, headers?: Record<string, string>) => (await t.gql(MERGE, { into, address }, headers)).body.data.mergeContacts;

  it('adds an office number to a contact: one name, both conversations, one row in Contacts, the name texting the latest', async () => {
    const [mobile, office] = [n(1), n(2)];
    expect((await t.gql(UPDATE, { address: mobile, name: `Dana Scully ${dbName}`, notes: 'Prefers mornings.' })).body.data.updateContact.errors).toEqual([]);
    const first = await send(mobile, 'on the mobile');
    const second = await send(office, 'on the office line');
    const before = await rows([mobile, office]);

    const merged = await merge(mobile, `(555) 309-${dbName === 'postgres' ? 1 : 2}002`);
    expect(merged.errors).toEqual([]);
    expect(merged.undoId).toEqual(expect.any(String));
    expect(merged.contact).toMatchObject({ address: mobile, name: `Dana Scully ${dbName}`, notes: 'Prefers mornings.' });
    expect(merged.contact.addresses).toEqual([
      { address: mobile, name: `Dana Scully ${dbName}` },
      { address: office, name: `Dana Scully ${dbName}` },
    ]);
    expect(merged.contact.conversations.map((c: { id: string }) => c.id)).toEqual([second.conversationId, first.conversationId]);

    // Either address reads the person, as a recipient is read; what is no address reads nothing.
    const one = `query($a: String!) { contact(address: $a) { address name addresses { address } } }`;
    expect((await t.gql(one, { a: office.slice(2) })).body.data.contact).toEqual({ address: office, name: `Dana Scully ${dbName}`, addresses: [{ address: office }, { address: mobile }] });
    for (const a of ['+1555', '', 'a\u0000b']) expect((await t.gql(one, { a })).body.data, a).toEqual({ contact: null });
    // The Contacts view: one row for the person, found by either number.
    for (const search of [`Scully ${dbName}`, office.slice(2)]) {
      const found = (await t.gql(LIST, { search })).body.data.contacts.edges.map((e: { node: { address: string; addresses: unknown[] } }) => e.node);
      expect(found, search).toHaveLength(1);
      expect(found[0].addresses).toHaveLength(2);
    }
    // The office conversation now shows her name; her name texts the number of her latest conversation.
    const office_ = (await t.gql('query($id: ID!) { conversation(id: $id) { contacts { name } } }', { id: second.conversationId })).body.data.conversation;
    expect(office_.contacts.map((c: { name: string | null }) => c.name)).toContain(`Dana Scully ${dbName}`);
    expect((await t.gql(READ, { to: `dana scully ${dbName}` })).body.data.recipient).toMatchObject({ kind: 'SMS', address: office, error: null });
    await send(mobile, 'back on the mobile');
    expect((await t.gql(READ, { to: `Dana Scully ${dbName}` })).body.data.recipient).toMatchObject({ kind: 'SMS', address: mobile, error: null });
    // Her messages at both numbers, together in one timeline, paged back from the newest.
    const TIMELINE = `query($a: String!, $before: String) { contact(address: $a) { messages(last: 2, before: $before) { edges { node { body to } } pageInfo { hasPreviousPage startCursor } } } }`;
    const newest = (await t.gql(TIMELINE, { a: office })).body.data.contact.messages;
    expect(newest.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual(['on the office line', 'back on the mobile']);
    expect(newest.pageInfo.hasPreviousPage).toBe(true);
    const older = (await t.gql(TIMELINE, { a: office, before: newest.pageInfo.startCursor })).body.data.contact.messages;
    expect(older.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual(['on the mobile']);
    // A rename from either address names the person.
    expect((await t.gql(UPDATE, { address: office, name: `Dana K. Scully ${dbName}` })).body.data.updateContact.errors).toEqual([]);
    expect((await rows([mobile, office])).map((r) => r.name)).toEqual([`Dana K. Scully ${dbName}`, `Dana K. Scully ${dbName}`]);

    // Renamed since: the undo would lose the rename, so it is refused and nothing changes.
    const now = await rows([mobile, office]);
    expect((await t.gql(UNDO, { id: merged.undoId })).body.data.undoContactMerge.errors).toEqual([{ code: 'CONTACT_CHANGED' }]);
    expect(await rows([mobile, office])).toEqual(now);
    expect(before.map((r) => r.address)).toEqual([mobile]);
  });

  it('undoes a merge exactly, only for the session or token that made it, and only once', async () => {
    const [a, b1, b2] = [n(11), n(12), n(13)];
    await t.gql(UPDATE, { address: a, name: 'Walter Skinner', notes: 'A.D.' });
    await t.gql(UPDATE, { address: b1, name: 'W. Skinner (home)', notes: 'Home line.' });
    expect((await merge(b1, b2)).errors).toEqual([]);
    await send(b2, 'to the second home line');
    const before = await rows([a, b1, b2]);
    const merged = await merge(a, b1);
    expect(merged.errors).toEqual([]);
    // Both of the other person's addresses join, the kept name wins, both notes are kept.
    expect(merged.contact.addresses.map((c: { address: string }) => c.address)).toEqual([a, b1, b2]);
    expect(merged.contact).toMatchObject({ name: 'Walter Skinner', notes: 'A.D.\n\nHome line.' });
    expect(new Set((await rows([a, b1, b2])).map((r) => r.person_id)).size).toBe(1);

    // Another operator's session, and an API token that did not merge: not theirs to undo.
    const ana = await t.operator(`ana.people.${dbName}@example.com`);
    expect((await t.gql(UNDO, { id: merged.undoId }, { cookie: ana.cookie })).body.data.undoContactMerge.errors).toEqual([{ code: 'UNDO_NOT_AVAILABLE' }]);
    const other = await t.token('other program', 'send');
    expect((await t.gql(UNDO, { id: merged.undoId }, { authorization: `Bearer ${other}` })).body.data.undoContactMerge.errors).toEqual([{ code: 'UNDO_NOT_AVAILABLE' }]);

    const undone = (await t.gql(UNDO, { id: merged.undoId })).body.data.undoContactMerge;
    expect(undone.errors).toEqual([]);
    expect(undone.contact).toEqual({ address: a, name: 'Walter Skinner', addresses: [{ address: a }] });
    expect(await rows([a, b1, b2])).toEqual(before);
    expect((await t.gql(UNDO, { id: merged.undoId })).body.data.undoContactMerge.errors).toEqual([{ code: 'UNDO_NOT_AVAILABLE' }]);
  });

  it('takes back a number the merge added as new, leaving no row for it', async () => {
    const [a, fresh] = [n(21), n(22)];
    await t.gql(UPDATE, { address: a, name: 'Monica Reyes' });
    const merged = await merge(a, fresh);
    expect(merged.contact.addresses.map((c: { address: string }) => c.address)).toEqual([a, fresh]);
    expect((await t.gql(UNDO, { id: merged.undoId })).body.data.undoContactMerge.errors).toEqual([]);
    expect((await rows([a, fresh])).map((r) => r.address)).toEqual([a]);
  });

  it('refuses what it cannot do with a clear code, writing nothing', async () => {
    const [a, b] = [n(31), n(32)];
    await t.gql(UPDATE, { address: a, name: 'John Doggett' });
    expect((await merge(a, b)).errors).toEqual([]);
    const before = [await rows([a, b]), await merges()];
    const cases: [string, string, string, string][] = [
      [a, a, 'ALREADY_ONE_CONTACT', 'address'],
      [a, b, 'ALREADY_ONE_CONTACT', 'address'],
      [b, `(555) 309-${dbName === 'postgres' ? 1 : 2}031`, 'ALREADY_ONE_CONTACT', 'address'],
      [a, '+1555', 'INVALID_PHONE_NUMBER', 'address'],
      ['12', a, 'INVALID_PHONE_NUMBER', 'into'],
      [a, 'x\u0000y', 'INVALID_ADDRESS', 'address'],
      [a, 'y'.repeat(101), 'INVALID_ADDRESS', 'address'],
    ];
    for (const [into, address, code, field] of cases) {
      const out = await merge(into, address);
      expect(out.contact, `${into} ← ${address}`).toBeNull();
      expect(out.undoId).toBeNull();
      expect(out.errors.map((e: { code: string; field: string }) => [e.code, e.field]), `${into} ← ${address}`).toEqual([[code, field]]);
    }
    for (const id of ['not-an-id', '00000000-0000-0000-0000-000000000000']) {
      expect((await t.gql(UNDO, { id })).body.data.undoContactMerge.errors).toEqual([{ code: 'UNDO_NOT_AVAILABLE' }]);
    }
    expect([await rows([a, b]), await merges()]).toEqual(before);
    // A program with a read-only token may not merge.
    const reader = await t.token('reader', 'read');
    const refused = await t.gql(MERGE, { into: a, address: n(33) }, { authorization: `Bearer ${reader}` });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect([await rows([a, b, n(33)]), await merges()]).toEqual(before);
  });

  it('keeps one name for one person when an import names one of their numbers', async () => {
    const [a, b] = [n(61), n(62)];
    await t.gql(UPDATE, { address: a, name: 'Alex Krycek' });
    expect((await merge(a, b)).errors).toEqual([]);
    const admin = await t.operator(`admin.people.${dbName}@example.com`);
    const imported = await t.gql('mutation($csv: String!) { importContacts(csv: $csv) { updated errors { code } } }', { csv: `number,name,notes\n${b},Rat Krycek,Double agent\n` }, { cookie: admin.cookie, origin: t.url });
    expect(imported.body.data.importContacts).toEqual({ updated: 1, errors: [] });
    expect((await rows([a, b])).map((r) => [r.name, r.notes])).toEqual([
      ['Rat Krycek', 'Double agent'],
      ['Rat Krycek', 'Double agent'],
    ]);
  });

  it('merges a stored-only name into the number it stands for', async () => {
    const stored = `Fox at the office ${dbName}`;
    await send(stored, 'kept here only');
    const merged = await merge(n(41), stored);
    expect(merged.errors).toEqual([]);
    expect(merged.contact.addresses.map((c: { address: string }) => c.address)).toEqual([n(41), stored]);
    expect(merged.contact.conversations).toHaveLength(1);
  });

  it.runIf(dbName === 'postgres')('leaves every address in exactly one person when merges race', async () => {
    const people = Array.from({ length: 8 }, (_, i) => n(51 + i));
    for (const p of people) await t.gql(UPDATE, { address: p, name: `Racer ${p}` });
    // Every pair merged at once, both ways round: each either merges or finds them one already.
    const pairs = people.flatMap((a, i) => people.slice(i + 1).flatMap((b) => [[a, b], [b, a]] as const));
    const outcomes = await Promise.all(pairs.map(([a, b]) => merge(a, b)));
    for (const o of outcomes) expect(o.errors.map((e: { code: string }) => e.code)).toEqual(o.contact ? [] : ['ALREADY_ONE_CONTACT']);
    const after = await rows(people);
    expect(after).toHaveLength(8);
    expect(new Set(after.map((r) => r.person_id)).size).toBe(1);
    expect(new Set(after.map((r) => r.name)).size).toBe(1);
    expect(outcomes.filter((o) => o.contact)).toHaveLength(7);
  });
});
