import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

// What the Relay server specification asks of Global Object Identification, checked against the
// running server: a Node interface with `id: ID!`, `node(id: ID!): Node` on Query, and every
// object implementing Node refetchable by its id alone, as the same object.
describe.each(testDatabases())('refetching objects by id (Relay) on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  it('has the Node interface and the node field as the specification defines them', async () => {
    const { body } = await t.gql(`{
      node: __type(name: "Node") { kind fields { name type { kind ofType { name } } } possibleTypes { name } }
      query: __type(name: "Query") { fields { name args { name type { kind ofType { name } } } type { name kind } } }
    }`);
    expect(body.data.node.kind).toBe('INTERFACE');
    expect(body.data.node.fields).toEqual([{ name: 'id', type: { kind: 'NON_NULL', ofType: { name: 'ID' } } }]);
    expect(body.data.node.possibleTypes.map((p: { name: string }) => p.name).sort()).toEqual(['Conversation', 'Message', 'Note']);
    const node = body.data.query.fields.find((f: { name: string }) => f.name === 'node');
    expect(node.type).toEqual({ name: 'Node', kind: 'INTERFACE' });
    expect(node.args).toEqual([{ name: 'id', type: { kind: 'NON_NULL', ofType: { name: 'ID' } } }]);
  });

  it('refetches a conversation and a message by the ids they always had', async () => {
    const sent = await t.gql(`mutation { sendMessage(input: { from: "Alice", to: "Bob", body: "refetch me" }) { message { id conversationId body } } }`);
    const { id, conversationId } = sent.body.data.sendMessage.message;
    expect(conversationId).toBe('3a92e7c6-1951-0954-f1a5-632808a295fe');
    const refetch = await t.gql(
      `query($a: ID!, $b: ID!) {
        a: node(id: $a) { __typename id ... on Conversation { participants lastMessage { id } } }
        b: node(id: $b) { __typename id ... on Message { body conversationId } }
        missing: node(id: "00000000-0000-0000-0000-000000000000") { id }
        malformed: node(id: "nope") { id }
        many: nodes(ids: [$b, "00000000-0000-0000-0000-000000000000", $a]) { __typename id }
      }`,
      { a: conversationId, b: id.toUpperCase() },
    );
    expect(refetch.body.errors).toBeUndefined();
    expect(refetch.body.data).toEqual({
      a: { __typename: 'Conversation', id: conversationId, participants: ['Alice', 'Bob'], lastMessage: { id } },
      b: { __typename: 'Message', id, body: 'refetch me', conversationId },
      missing: null,
      malformed: null,
      many: [{ __typename: 'Message', id }, null, { __typename: 'Conversation', id: conversationId }],
    });
    const tooMany = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => id) });
    expect(tooMany.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
