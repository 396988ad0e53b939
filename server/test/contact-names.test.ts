import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const READ = `query($to: String!) { recipient(to: $to) { kind address display contact { name } error { code message } } }`;
const SEND = `mutation($to: String!, $body: String!) { sendMessage(input: { to: $to, body: $body }) { message { channel to conversationId } errors { code message } } }`;
const NAME = `mutation($address: String!, $name: String) { updateContact(input: { address: $address, name: $name }) { errors { code } } }`;
const SUGGEST = `query($search: String!) { contactSuggestions(search: $search) { address name display } }`;

// A contact is one person: the name operators gave a number texts that number.
describe.each(testDatabases())("a contact's name as a recipient, on the $name database", ({ name: dbName, open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
    // Numbers of this file's own, so other files' contacts do not answer.
    expect((await t.gql(NAME, { address: '(555) 201-0001', name: 'Fox Mulder' })).body.data.updateContact.errors).toEqual([]);
    expect((await t.gql(NAME, { address: '+15552010002', name: 'Twin Name' })).body.data.updateContact.errors).toEqual([]);
    expect((await t.gql(NAME, { address: '+447700900123', name: 'twin name' })).body.data.updateContact.errors).toEqual([]);
  });
  afterAll(() => t?.close());

  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query<{ n: string }>(sql, params))[0]!.n);
  const writes = () => count('SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM conversations) AS n');

  it('reads a contact’s name, in any case, as their number, and says so before sending', async () => {
    for (const to of ['Fox Mulder', ' fox mulder ', 'FOX MULDER']) {
      expect((await t.gql(READ, { to })).body.data.recipient, to).toEqual({ kind: 'SMS', address: '+15552010001', display: '+1 555-201-0001', contact: { name: 'Fox Mulder' }, error: null });
    }
  });

  it('texts the number, in the thread the number already has, and makes no stored-only thread beside it', async () => {
    const byNumber = (await t.gql(SEND, { to: '+15552010001', body: 'by number' })).body.data.sendMessage;
    const byName = (await t.gql(SEND, { to: 'fox mulder', body: 'by name' })).body.data.sendMessage;
    expect(byName.errors).toEqual([]);
    expect(byName.message).toEqual({ channel: 'SMS', to: '+15552010001', conversationId: byNumber.message.conversationId });
    expect(await count(`SELECT count(*) AS n FROM conversations WHERE lower(participant_a) = 'fox mulder' OR lower(participant_b) = 'fox mulder'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE body = 'by name' AND channel = 'SMS' AND "to" = '+15552010001'`)).toBe(1);
  });

  it('asks for the number when several contacts have the name, writing nothing', async () => {
    const before = await writes();
    const read = (await t.gql(READ, { to: 'Twin Name' })).body.data.recipient;
    expect(read).toMatchObject({ kind: 'NAME', address: null, error: { code: 'AMBIGUOUS_RECIPIENT' } });
    expect(read.error.message).toContain('+1 555-201-0002');
    expect(read.error.message).toContain('+44 7700 900123');
    const sent = (await t.gql(SEND, { to: 'twin name', body: 'which one?' })).body.data.sendMessage;
    expect(sent).toEqual({ message: null, errors: [expect.objectContaining({ code: 'AMBIGUOUS_RECIPIENT' })] });
    expect(await writes()).toBe(before);
  });

  it('keeps a name that is nobody’s number as a stored-only conversation, as before', async () => {
    const read = (await t.gql(READ, { to: `Front desk ${dbName}` })).body.data.recipient;
    expect(read).toMatchObject({ kind: 'NAME', address: `Front desk ${dbName}`, error: null });
    // A named stored-only contact is no number to text either.
    await t.gql(NAME, { address: `Front desk ${dbName}`, name: 'Reception' });
    expect((await t.gql(READ, { to: 'Reception' })).body.data.recipient).toMatchObject({ kind: 'NAME', address: 'Reception' });
    const sent = (await t.gql(SEND, { to: `Front desk ${dbName}`, body: 'kept here' })).body.data.sendMessage;
    expect(sent.message.channel).toBe('INTERNAL');
  });

  it('suggests contacts by name and by number as it is typed', async () => {
    const suggest = async (search: string) => ((await t.gql(SUGGEST, { search })).body.data.contactSuggestions as { address: string; name: string | null }[]).map((c) => c.name ?? c.address);
    expect(await suggest('fox')).toEqual(['Fox Mulder']);
    expect(await suggest('MULD')).toEqual(['Fox Mulder']);
    expect(await suggest('(555) 201-00')).toEqual(expect.arrayContaining(['Fox Mulder', 'Twin Name']));
    expect(await suggest('7700 900')).toEqual(['twin name']);
    expect(await suggest('   ')).toEqual([]);
    expect(await suggest('%')).toEqual([]);
    expect((await t.gql('{ contactSuggestions(search: "a", first: 1000) { address } }')).body.data.contactSuggestions.length).toBeLessThanOrEqual(20);
  });
});
