import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { MAX_NOTE_CHARS } from '../modules/notes/notes.service.ts';

// Internal notes: in the thread for the team, never sent, through the change feed like every
// other change, and @mentions that reach the person mentioned.
const ADD = `mutation($id: ID!, $body: String!) { addNote(input: { conversationId: $id, body: $body }) {
  note { id body authorKind authorName authorOperatorId conversationId mentioned { name } } errors { field code } } }`;
const ME = '{ viewer { unseenMentionCount } mentions(first: 10) { edges { node { body mentionsViewer } } } }';

describe.each(testDatabases())('internal notes on the $name database', ({ name }) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let bob: Record<string, string>;
  let sms: string;
  beforeAll(async () => {
    const { open } = testDatabases().find((d) => d.name === name)!;
    t = await startTestApp(await open());
    ana = { cookie: (await t.operator('ana.notes@example.com', undefined, 'Ana')).cookie, origin: t.url };
    bob = { cookie: (await t.operator('bob.notes@example.com', undefined, 'Bob Lima')).cookie, origin: t.url };
    sms = (await t.gql('mutation { sendMessage(input: { to: "+15557310001", body: "hello" }) { message { conversationId } } }')).body.data.sendMessage.message.conversationId;
  });
  afterAll(() => t?.close());

  const count = async (sql: string) => (await t.db.query<{ n: number }>(sql))[0]!.n;

  it('adds a note that is never sent and never a message, and mentions Bob, who sees it and marks it seen', async () => {
    const started = new Date();
    const messages = await count('SELECT count(*)::int AS n FROM messages');
    const added = (await t.gql(ADD, { id: sms, body: '  @bob lima can you call her? @Ana knows  ' }, ana)).body.data.addNote;
    expect(added.errors).toEqual([]);
    expect(added.note).toMatchObject({ body: '@bob lima can you call her? @Ana knows', authorKind: 'OPERATOR', authorName: 'Ana', conversationId: sms, mentioned: [{ name: 'Bob Lima' }] });
    // Nothing queued for the provider, nothing among the messages.
    // (The outbox drains on its own: what matters is that nothing joined it.)
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_outbox WHERE created_at >= $1', [started]))[0]!.n).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM messages')).toBe(messages);
    const thread = (await t.gql(`query($id: ID!) { conversation(id: $id) { noteCount lastNote { id } notes(last: 5) { edges { node { body } } } messages(first: 50) { edges { node { body } } } } }`, { id: sms }, ana)).body.data.conversation;
    expect(thread.noteCount).toBe(1);
    expect(thread.lastNote.id).toBe(added.note.id);
    expect(thread.notes.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual([added.note.body]);
    expect(thread.messages.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual(['hello']);
    expect((await t.gql('query($id: ID!) { node(id: $id) { __typename ... on Note { body } } }', { id: added.note.id })).body.data.node).toEqual({ __typename: 'Note', body: added.note.body });

    // Bob is mentioned; Ana, the author, is not, though her name is in it.
    expect((await t.gql(ME, {}, bob)).body.data).toEqual({ viewer: { unseenMentionCount: 1 }, mentions: { edges: [{ node: { body: added.note.body, mentionsViewer: true } }] } });
    expect((await t.gql(ME, {}, ana)).body.data).toEqual({ viewer: { unseenMentionCount: 0 }, mentions: { edges: [] } });
    const seen = (await t.gql('mutation($id: ID) { markMentionsSeen(conversationId: $id) { unseenMentionCount errors { code } } }', { id: sms }, bob)).body.data.markMentionsSeen;
    expect(seen).toEqual({ unseenMentionCount: 0, errors: [] });
    expect((await t.gql('{ mentions(first: 10, unseenOnly: true) { edges { node { id } } } }', {}, bob)).body.data.mentions.edges).toEqual([]);
    expect((await t.gql('{ mentions(first: 10) { edges { node { id } } } }', {}, bob)).body.data.mentions.edges).toHaveLength(1);
  });

  it('reaches every window through the change feed, and a subscriber resuming by cursor gets each note added meanwhile', async () => {
    const watch = subscribe<{ conversationUpdated: { id: string; cursor: string; lastNote: { body: string } | null } }>(
      sseClient({ url: t.url, headers: bob }, 'distinct'),
      'subscription { conversationUpdated { id cursor noteCount lastNote { body authorName } } }',
    );
    let cursor: string;
    try {
      await new Promise((r) => setTimeout(r, 300));
      await t.gql(ADD, { id: sms, body: 'Live note' }, ana);
      const events = await watch.until((e) => e.some((x) => x.conversationUpdated.lastNote?.body === 'Live note'));
      cursor = events.find((x) => x.conversationUpdated.lastNote?.body === 'Live note')!.conversationUpdated.cursor;
    } finally {
      watch.dispose();
    }
    // Away: two notes are added. Back from the cursor: each arrives with its own note.
    await t.gql(ADD, { id: sms, body: 'While away 1' }, ana);
    await t.gql(ADD, { id: sms, body: 'While away 2' }, t.headers);
    const resumed = subscribe<{ conversationUpdated: { lastNote: { body: string; authorName: string } | null } }>(
      sseClient({ url: t.url, headers: bob }, 'distinct'),
      'subscription($after: String) { conversationUpdated(after: $after) { lastNote { body authorName } } }',
      { after: cursor },
    );
    try {
      const events = await resumed.until((e) => e.length >= 2);
      expect(events.map((e) => e.conversationUpdated.lastNote?.body)).toEqual(['While away 1', 'While away 2']);
      expect(events[1]!.conversationUpdated.lastNote!.authorName).toMatch(/^tests /);
    } finally {
      resumed.dispose();
    }
  });

  it('refuses empty, too long, unstorable, bad and unknown input, and a read token, without writing anything', async () => {
    const state = async () => [await count('SELECT count(*)::int AS n FROM notes'), await count('SELECT count(*)::int AS n FROM note_mentions'), await count('SELECT count(*)::int AS n FROM conversation_changes')];
    const before = await state();
    const errors = async (id: string, body: string, as = ana) => (await t.gql(ADD, { id, body }, as)).body.data.addNote.errors;
    expect(await errors(sms, '   ')).toEqual([{ field: 'body', code: 'EMPTY_BODY' }]);
    expect(await errors(sms, 'x'.repeat(MAX_NOTE_CHARS + 1))).toEqual([{ field: 'body', code: 'BODY_TOO_LONG' }]);
    expect(await errors(sms, 'nul \u0000 here @Bob Lima')).toEqual([{ field: 'body', code: 'INVALID_CHARACTERS' }]);
    expect(await errors('nope', 'hi')).toEqual([{ field: 'conversationId', code: 'INVALID_ID' }]);
    expect(await errors('00000000-0000-0000-0000-00000000beef', 'hi @Bob Lima')).toEqual([{ field: 'conversationId', code: 'NOT_FOUND' }]);
    const reader = { authorization: `Bearer ${await t.token('notes reader', 'read')}` };
    expect((await t.gql(ADD, { id: sms, body: 'hi' }, reader)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql('mutation { markMentionsSeen { unseenMentionCount } }', {}, t.headers)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql('mutation { markMentionsSeen(conversationId: "x") { errors { code } } }', {}, bob)).body.data.markMentionsSeen.errors).toEqual([{ code: 'INVALID_ID' }]);
    expect((await t.gql(ME, {}, t.headers)).body.data).toEqual({ viewer: { unseenMentionCount: 0 }, mentions: { edges: [] } });
    expect(await state()).toEqual(before);
  });

  it.runIf(name === 'postgres')('keeps every note and the count when twenty are added at once', async () => {
    const id = (await t.gql('mutation { sendMessage(input: { to: "Busy Notes", body: "hi" }) { message { conversationId } } }')).body.data.sendMessage.message.conversationId;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.gql(ADD, { id, body: `note ${i} @Bob Lima` }, i % 2 ? ana : t.headers)));
    expect(results.every((r) => r.body.data.addNote.errors.length === 0)).toBe(true);
    const [row] = await t.db.query<{ note_count: number; last: string }>(
      'SELECT note_count, (SELECT body FROM notes WHERE id = c.last_note_id) AS last FROM conversations c WHERE id = $1',
      [id],
    );
    expect(row!.note_count).toBe(20);
    expect(await count(`SELECT count(*)::int AS n FROM notes WHERE conversation_id = '${id}'`)).toBe(20);
    expect(await count(`SELECT count(*)::int AS n FROM note_mentions m JOIN notes n ON n.id = m.note_id WHERE n.conversation_id = '${id}'`)).toBe(20);
    // The newest note is the last one written (row lock on the conversation orders them).
    const [newest] = await t.db.query<{ body: string }>(`SELECT body FROM notes WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, [id]);
    expect(row!.last).toBe(newest!.body);
  });
});
