import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const FIELDS = 'savedReply { id name body createdBy { name } } errors { field code message }';
const CREATE = `mutation($input: CreateSavedReplyInput!) { createSavedReply(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($input: UpdateSavedReplyInput!) { updateSavedReply(input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteSavedReply(id: $id) { ${FIELDS} } }`;
const LIST = '{ savedReplies { id name body } }';

// Saved replies: the team's, made and changed by anyone on it, found by name, filled in per
// conversation and operator; every bad input a coded error that writes nothing.
describe.each(testDatabases())('saved replies on the $name database', ({ open }) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let bob: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(await open());
    ana = { cookie: (await t.operator('ana.replies@example.com', undefined, 'Ana Lima')).cookie, origin: t.url };
    bob = { cookie: (await t.operator('bob.replies@example.com', undefined, 'Bob Stone')).cookie, origin: t.url };
  });
  afterAll(() => t?.close());

  const rows = () => t.db.query('SELECT id, name, body FROM saved_replies ORDER BY id');

  it('is made by one operator, listed by name for all, changed by another and deleted', async () => {
    const made = (await t.gql(CREATE, { input: { name: '  Opening hours ', body: 'Hi {{contact.first_name | there}}, we open at 9. {{operator.first_name}}' } }, ana)).body.data.createSavedReply;
    expect(made).toMatchObject({ savedReply: { name: 'Opening hours', createdBy: { name: 'Ana Lima' } }, errors: [] });
    await t.gql(CREATE, { input: { name: 'address', body: '12 Harbour Street' } }, ana);
    expect((await t.gql(LIST, {}, bob)).body.data.savedReplies.map((r: { name: string }) => r.name)).toEqual(['address', 'Opening hours']);

    const changed = (await t.gql(UPDATE, { input: { id: made.savedReply.id, body: 'We open at 8 now, {{contact.name | friend}}.' } }, bob)).body.data.updateSavedReply;
    expect(changed).toMatchObject({ savedReply: { name: 'Opening hours', body: 'We open at 8 now, {{contact.name | friend}}.' }, errors: [] });
    const renamed = (await t.gql(UPDATE, { input: { id: made.savedReply.id, name: 'Hours' } }, bob)).body.data.updateSavedReply;
    expect(renamed.savedReply).toMatchObject({ name: 'Hours', body: 'We open at 8 now, {{contact.name | friend}}.' });

    const gone = (await t.gql(DELETE, { id: made.savedReply.id }, bob)).body.data.deleteSavedReply;
    expect(gone).toMatchObject({ savedReply: { name: 'Hours' }, errors: [] });
    expect((await t.gql(LIST, {}, ana)).body.data.savedReplies.map((r: { name: string }) => r.name)).toEqual(['address']);
  });

  it("fills the variables for the conversation's contact and the operator who asks", async () => {
    await t.gql('mutation { sendMessage(input: { to: "+15557880001", body: "hello" }) { errors { code } } }');
    await t.gql('mutation { updateContact(input: { address: "+15557880001", name: "Dana Scully" }) { errors { code } } }');
    const conversation = (await t.gql('mutation { sendMessage(input: { to: "+15557880002", body: "hi" }) { message { conversationId } } }')).body.data.sendMessage.message.conversationId;
    const named = (await t.gql('{ conversations(search: "Dana Scully") { edges { node { id } } } }')).body.data.conversations.edges[0].node.id;
    const reply = (await t.gql(CREATE, { input: { name: 'Greeting', body: 'Hi {{contact.first_name | there}} ({{contact.phone}}), {{operator.first_name}} here. {{contact.name}}' } }, ana)).body.data.createSavedReply.savedReply;
    const text = async (who: Record<string, string>, conversationId?: string) =>
      (await t.gql('query($c: ID) { savedReplies { id text(conversationId: $c) } }', { c: conversationId }, who)).body.data.savedReplies.find((r: { id: string }) => r.id === reply.id).text;

    expect(await text(ana, named)).toBe('Hi Dana (+1 555-788-0001), Ana here. Dana Scully');
    expect(await text(bob, named)).toBe('Hi Dana (+1 555-788-0001), Bob here. Dana Scully');
    // No name: the fallback, or the placeholder as written, so the operator sees what is missing.
    expect(await text(ana, conversation)).toBe('Hi there (+1 555-788-0002), Ana here. {{contact.name}}');
    // A new message (no conversation yet), and a program (no operator).
    expect(await text(ana)).toBe('Hi there ({{contact.phone}}), Ana here. {{contact.name}}');
    expect(await text(t.headers, named)).toBe('Hi Dana (+1 555-788-0001), {{operator.first_name}} here. Dana Scully');

    const bad = await t.gql('query($c: ID) { savedReplies { text(conversationId: $c) } }', { c: 'nope' }, ana);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const unknown = await t.gql('query($c: ID) { savedReplies { text(conversationId: $c) } }', { c: '00000000-0000-0000-0000-000000000001' }, ana);
    expect(unknown.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('answers bad input with a code and writes nothing', async () => {
    const before = await rows();
    const create = async (input: Record<string, string>) => (await t.gql(CREATE, { input }, ana)).body.data.createSavedReply;
    expect((await create({ name: 'address', body: 'again' })).errors).toEqual([expect.objectContaining({ field: 'name', code: 'NAME_TAKEN' })]);
    expect((await create({ name: 'ADDRESS', body: 'again' })).errors[0].code).toBe('NAME_TAKEN');
    expect((await create({ name: '   ', body: 'x' })).errors[0]).toMatchObject({ field: 'name', code: 'INVALID_NAME' });
    expect((await create({ name: 'x'.repeat(61), body: 'x' })).errors[0].code).toBe('INVALID_NAME');
    expect((await create({ name: 'two\nlines', body: 'x' })).errors[0].code).toBe('INVALID_NAME');
    expect((await create({ name: 'Blank', body: ' \n ' })).errors[0]).toMatchObject({ field: 'body', code: 'EMPTY_BODY' });
    expect((await create({ name: 'Long', body: 'x'.repeat(1601) })).errors[0].code).toBe('BODY_TOO_LONG');
    expect((await create({ name: 'Nul', body: 'a\u0000b' })).errors[0].code).toBe('INVALID_CHARACTERS');
    const typo = await create({ name: 'Typo', body: 'Hi {{contact.nmae}} and {{order.id}}' });
    expect(typo.errors[0]).toMatchObject({ field: 'body', code: 'UNKNOWN_VARIABLE' });
    expect(typo.errors[0].message).toMatch(/\{\{contact\.nmae\}\}, \{\{order\.id\}\} are not a variable\. Use \{\{contact\.name\}\}/);
    // Both fields wrong: both said at once.
    expect((await create({ name: '', body: '' })).errors.map((e: { field: string }) => e.field)).toEqual(['name', 'body']);

    const [existing] = await t.db.query<{ id: string }>(`SELECT id FROM saved_replies WHERE name = 'address'`);
    await t.gql(CREATE, { input: { name: 'Taken name', body: 'x' } }, ana);
    const after = await rows();
    expect((await t.gql(UPDATE, { input: { id: existing!.id, name: 'taken NAME' } }, ana)).body.data.updateSavedReply.errors[0].code).toBe('NAME_TAKEN');
    expect((await t.gql(UPDATE, { input: { id: existing!.id, body: '{{nope}}' } }, ana)).body.data.updateSavedReply.errors[0].code).toBe('UNKNOWN_VARIABLE');
    expect((await t.gql(UPDATE, { input: { id: 'nope', body: 'x' } }, ana)).body.data.updateSavedReply.errors[0].code).toBe('INVALID_ID');
    expect((await t.gql(UPDATE, { input: { id: '00000000-0000-0000-0000-000000000001', body: 'x' } }, ana)).body.data.updateSavedReply.errors[0].code).toBe('NOT_FOUND');
    expect((await t.gql(DELETE, { id: '00000000-0000-0000-0000-000000000001' }, ana)).body.data.deleteSavedReply.errors[0].code).toBe('NOT_FOUND');
    expect(after.length).toBe(before.length + 1);
    expect(await rows()).toEqual(after);
  });

  it('is read by a read token but changed only with the send scope or by an operator', async () => {
    const reader = { authorization: `Bearer ${await t.token('replies reader', 'read')}` };
    expect((await t.gql(LIST, {}, reader)).body.data.savedReplies.length).toBeGreaterThan(0);
    const before = await rows();
    const refused = await t.gql(CREATE, { input: { name: 'From a reader', body: 'x' } }, reader);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await rows()).toEqual(before);
    const program = (await t.gql(CREATE, { input: { name: 'From a program', body: 'x' } })).body.data.createSavedReply;
    expect(program).toMatchObject({ savedReply: { createdBy: null }, errors: [] });
  });

  it('keeps one reply per name when the same name is saved at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.gql(CREATE, { input: { name: i % 2 ? 'Race' : 'RACE', body: `copy ${i}` } }, i % 2 ? ana : bob)),
    );
    const codes = results.map((r) => r.body.data.createSavedReply.errors[0]?.code ?? 'OK').sort();
    expect(codes).toEqual(['NAME_TAKEN', 'NAME_TAKEN', 'NAME_TAKEN', 'NAME_TAKEN', 'NAME_TAKEN', 'OK']);
    expect(await t.db.query(`SELECT id FROM saved_replies WHERE lower(name) = 'race'`)).toHaveLength(1);
  });
});
