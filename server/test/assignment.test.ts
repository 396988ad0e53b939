import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const ASSIGN = 'mutation($id: ID!, $to: ID) { assignConversation(id: $id, assigneeId: $to) { conversation { id assignee { id name } } errors { field code } } }';
const LIST = 'query($a: ConversationAssignee, $s: String) { conversations(first: 50, assignee: $a, search: $s) { edges { node { id assignee { name } } } } }';

// "I'll take this one": a conversation assigned to an operator, to a colleague, or to nobody; the
// filters Mine and Unassigned; live in every window through the change feed, resumable by cursor.
describe.each(testDatabases())('assigning conversations on the $name database', ({ open }) => {
  let t: TestApp;
  let ana: { cookie: string };
  let bob: { cookie: string };
  let ids: { ana: string; bob: string };
  const as = (who: { cookie: string }) => ({ cookie: who.cookie, origin: t.url });
  beforeAll(async () => {
    t = await startTestApp(await open());
    ana = await t.operator('ana@example.com', undefined, 'Ana');
    bob = await t.operator('bob@example.com', undefined, 'Bob');
    const team = (await t.gql('{ operators { id name } }')).body.data.operators;
    ids = { ana: team.find((o: any) => o.name === 'Ana').id, bob: team.find((o: any) => o.name === 'Bob').id };
  });
  afterAll(() => t?.close());

  const conversation = async (to: string) => (await t.gql('mutation($to: String!){ sendMessage(input: { to: $to, body: "hello" }) { message { conversationId } } }', { to })).body.data.sendMessage.message.conversationId as string;
  const listed = async (who: { cookie: string }, a: string, s?: string) => (await t.gql(LIST, { a, s }, as(who))).body.data.conversations.edges.map((e: any) => e.node.id);

  it('assigns to oneself and to a colleague, unassigns, and filters Mine and Unassigned', async () => {
    const [fox, dana] = [await conversation('Fox Assign'), await conversation('Dana Assign')];
    const me = (await t.gql('{ viewer { operatorId } }', {}, as(ana))).body.data.viewer.operatorId;
    expect(me).toBe(ids.ana);
    const mine = await t.gql(ASSIGN, { id: fox, to: me }, as(ana));
    expect(mine.body.data.assignConversation).toEqual({ conversation: { id: fox, assignee: { id: ids.ana, name: 'Ana' } }, errors: [] });
    await t.gql(ASSIGN, { id: dana, to: ids.bob }, as(ana));
    expect(await listed(ana, 'ME')).toEqual([fox]);
    expect(await listed(bob, 'ME')).toEqual([dana]);
    expect(await listed(ana, 'UNASSIGNED')).not.toContain(fox);
    expect(await listed(ana, 'ANYONE')).toEqual(expect.arrayContaining([fox, dana]));
    // Search respects it too.
    expect(await listed(bob, 'ME', 'Assign')).toEqual([dana]);
    expect(await listed(bob, 'UNASSIGNED', 'Assign')).toEqual([]);
    // Unassigned again.
    const none = await t.gql(ASSIGN, { id: fox, to: null }, as(bob));
    expect(none.body.data.assignConversation.conversation.assignee).toBeNull();
    expect(await listed(ana, 'UNASSIGNED', 'Fox Assign')).toEqual([fox]);
  });

  it('refuses what cannot be assigned, writing nothing', async () => {
    const fox = await conversation('Refusal Assign');
    const before = (await t.db.query<{ updated_at: Date }>('SELECT updated_at FROM conversations WHERE id = $1', [fox]))[0]!.updated_at;
    const cases: [Record<string, unknown>, string][] = [
      [{ id: fox, to: 'not-an-id' }, 'INVALID_ASSIGNEE'],
      [{ id: fox, to: '00000000-0000-0000-0000-000000000009' }, 'INVALID_ASSIGNEE'],
      [{ id: 'nope', to: ids.ana }, 'INVALID_ID'],
      [{ id: '00000000-0000-0000-0000-000000000009', to: ids.ana }, 'NOT_FOUND'],
    ];
    for (const [variables, code] of cases) {
      const { status, body } = await t.gql(ASSIGN, variables, as(ana));
      expect(status).toBe(200);
      expect(body.data.assignConversation.errors[0].code, JSON.stringify(variables)).toBe(code);
    }
    const after = (await t.db.query<{ updated_at: Date; assignee_id: string | null }>('SELECT updated_at, assignee_id FROM conversations WHERE id = $1', [fox]))[0]!;
    expect(after).toEqual({ updated_at: before, assignee_id: null });
    // A read token may not assign; a program has no "mine".
    const reader = { authorization: `Bearer ${await t.token('assign reader', 'read')}` };
    const refused = await t.gql(ASSIGN, { id: fox, to: ids.ana }, reader);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const programMine = await t.gql(LIST, { a: 'ME' });
    expect(programMine.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('tells every window at once, and a window that resumes by cursor hears it too', async () => {
    const fox = await conversation('Live Assign');
    const start = (await t.db.query<{ max: string }>('SELECT COALESCE(MAX(seq), 0)::text AS max FROM conversation_changes'))[0]!.max;
    const bobWindow = subscribe(sseClient({ url: t.url, headers: { cookie: bob.cookie } }, 'distinct'), 'subscription { conversationUpdated { id assignee { name } } }');
    await new Promise((r) => setTimeout(r, 300));
    await t.gql(ASSIGN, { id: fox, to: ids.bob }, as(ana));
    const live = await bobWindow.until((events) => events.some((e: any) => e.conversationUpdated.id === fox && e.conversationUpdated.assignee?.name === 'Bob'), 5000);
    expect(live.length).toBeGreaterThan(0);
    bobWindow.dispose();
    // A window that was away resumes from before the assignment and hears it.
    const resumed = subscribe(sseClient({ url: t.url, headers: { cookie: bob.cookie } }, 'distinct'), 'subscription($after: String) { conversationUpdated(after: $after) { id assignee { name } } }', { after: start });
    await resumed.until((events) => events.some((e: any) => e.conversationUpdated.id === fox && e.conversationUpdated.assignee?.name === 'Bob'), 5000);
    resumed.dispose();
  });
});
