import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

// The list of conversations as the inbox asks for it is read in one statement of its own (with
// each conversation's newest message and the reader's read state); a page that includes a
// relation goes through Prisma and per-page loaders. Both must give the same page, in every
// filter, for every reader, forward and backward.
const FIELDS = 'id unreadCount lastReadAt done snoozedUntil lastMessageAt lastMessage { id body direction createdAt }';
const LIST = `query($first: Int, $last: Int, $after: String, $before: String, $filter: ConversationFilter, $assignee: ConversationAssignee) {
  conversations(first: $first, last: $last, after: $after, before: $before, filter: $filter, assignee: $assignee) {
    edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
// The same, with a relation Prisma loads with the page: the other way to read it.
const THROUGH_PRISMA = LIST.replace(`node { ${FIELDS} }`, `node { ${FIELDS} notes(first: 1) { edges { node { id } } } }`);

describe.each(testDatabases().map((k) => [k.name, k] as const))('the list of conversations (%s)', (_name, kind) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let bob: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(await kind.open());
    const as = async (email: string) => ({ cookie: (await t.operator(email)).cookie, origin: t.url });
    ana = await as('ana@example.com');
    bob = await as('bob@example.com');
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const { body } = await t.gql('mutation($to: String!) { sendMessage(input: { to: $to, body: "hello" }) { message { conversationId } } }', { to: `Guest ${i}` }, ana);
      ids.push(body.data.sendMessage.message.conversationId);
    }
    // Replies from the other side (unread for everyone), some read by Ana alone.
    await t.db.query(
      `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status)
       SELECT c.id, c.participant_a, c.participant_b, 'reply ' || n, 'INBOUND', 'INTERNAL', 'RECEIVED'
         FROM conversations c, generate_series(1, 3) n WHERE c.id = ANY($1::uuid[])`,
      [ids.filter((_, i) => i % 2 === 0)],
    );
    for (const id of ids.slice(0, 3)) await t.gql('mutation($id: ID!) { markConversationRead(id: $id) { errors { code } } }', { id }, ana);
    const me = (await t.gql('{ viewer { operatorId } }', {}, ana)).body.data.viewer.operatorId;
    await t.gql('mutation($id: ID!, $to: ID) { assignConversation(id: $id, assigneeId: $to) { errors { code } } }', { id: ids[1], to: me }, ana);
    await t.gql('mutation($id: ID!, $to: ID) { assignConversation(id: $id, assigneeId: $to) { errors { code } } }', { id: ids[4], to: me }, ana);
    await t.gql('mutation($id: ID!) { markConversationDone(id: $id) { errors { code } } }', { id: ids[2] }, ana);
    await t.gql('mutation($id: ID!, $until: DateTime) { snoozeConversation(id: $id, until: $until) { errors { code } } }', { id: ids[3], until: new Date(Date.now() + 3_600_000).toISOString() }, ana);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const page = async (query: string, who: Record<string, string>, variables: Record<string, unknown>) => {
    const { body } = await t.gql(query, variables, who);
    expect(body.errors).toBeUndefined();
    const { edges, pageInfo } = body.data.conversations;
    return { pageInfo, edges: edges.map((e: any) => ({ cursor: e.cursor, ...e.node, notes: undefined })) };
  };

  /** The whole list two at a time, each page checked against Prisma's, in list order. */
  const walk = async (who: Record<string, string>, where: Record<string, unknown>, way: 'forward' | 'backward') => {
    const walked: unknown[] = [];
    let cursor: string | undefined;
    for (;;) {
      const variables = way === 'forward' ? { first: 2, after: cursor, ...where } : { last: 2, before: cursor, ...where };
      const p = await page(LIST, who, variables);
      expect(await page(THROUGH_PRISMA, who, variables)).toEqual(p);
      if (way === 'forward') walked.push(...p.edges);
      else walked.unshift(...p.edges);
      if (!(way === 'forward' ? p.pageInfo.hasNextPage : p.pageInfo.hasPreviousPage)) return walked;
      cursor = way === 'forward' ? p.pageInfo.endCursor : p.pageInfo.startCursor;
    }
  };

  it('gives the page Prisma gives, for each filter and reader, forward and backward', async () => {
    let compared = 0;
    for (const who of [ana, bob]) {
      for (const filter of ['ALL', 'OPEN', 'DONE', 'SNOOZED']) {
        for (const assignee of ['ANYONE', 'ME', 'UNASSIGNED']) {
          const whole = await page(LIST, who, { first: 50, filter, assignee });
          expect(await page(THROUGH_PRISMA, who, { first: 50, filter, assignee })).toEqual(whole);
          // Walked two at a time both ways, it is the same list.
          expect(await walk(who, { filter, assignee }, 'forward')).toEqual(whole.edges);
          expect(await walk(who, { filter, assignee }, 'backward')).toEqual(whole.edges);
          compared += whole.edges.length;
        }
      }
    }
    // Not vacuous: the lists hold the conversations, with their replies and read state.
    expect(compared).toBeGreaterThan(20);
    const all = await page(LIST, bob, { first: 50 });
    expect(all.edges.map((e: any) => e.unreadCount).sort()).toEqual([0, 0, 0, 0, 3, 3, 3, 3, 3]);
    const anas = await page(LIST, ana, { first: 50 });
    expect(anas.edges.filter((e: any) => e.lastReadAt).length).toBe(3);
    expect(anas.edges.every((e: any) => e.lastMessage?.body)).toBe(true);
  }, 120_000);

  it('answers a cursor it never gave with an empty page, as before', async () => {
    const gone = await page(LIST, ana, { first: 2, after: Buffer.from('GPC:S:00000000-0000-0000-0000-000000000000').toString('base64') });
    expect(gone.edges).toEqual([]);
  });
});
