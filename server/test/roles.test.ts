import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../modules/access/operators.service.ts';
import { MUTATION_RULES } from '../schema/roles.ts';
import { schema } from '../schema/index.ts';
import { testDatabases } from '../testing/databases.ts';
import { wsClient, wsExecute } from '../testing/graphql-ws.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';

// Two roles: admins manage the team and API tokens, agents work the conversations. The rule of
// every mutation is in server/schema/roles.ts, and the schema must agree with it.
describe('the role rule of every mutation', () => {
  it('lists every mutation of the schema, and each field enforces the rule listed', () => {
    const fields = schema.getMutationType()!.getFields();
    expect(Object.keys(fields).sort()).toEqual(Object.keys(MUTATION_RULES).sort());
    for (const [name, field] of Object.entries(fields)) {
      const scopes = (field.extensions as { pothosOptions?: { authScopes?: Record<string, boolean> } }).pothosOptions?.authScopes;
      const expected = { admin: { admin: true }, operator: { operator: true }, send: undefined }[MUTATION_RULES[name]!];
      expect({ name, scopes }).toEqual({ name, scopes: expected });
    }
  });
});

const CREATE_TOKEN = `mutation { createApiToken(name: "agent try ${Math.random().toString(36).slice(2)}", scope: READ) { token errors { code } } }`;
const SET_ROLE = 'mutation($id: ID!, $role: OperatorRole!) { setOperatorRole(id: $id, role: $role) { operator { id role } errors { field code } } }';

describe.each(testDatabases())('admins and agents on the $name database', ({ name, open }) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let agentId: string;
  let adminId: string;
  const signIn = async (email: string) => {
    const res = await fetch(`${t.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, origin: t.url };
  };
  beforeAll(async () => {
    t = await startTestApp(await open());
    // The first operator is an admin whatever is asked; later ones are what is asked (agents by default).
    const first = await createOperator(t.db, { email: 'first.roles@example.com', password: TEST_PASSWORD, name: 'First', role: 'AGENT' });
    const second = await createOperator(t.db, { email: 'second.roles@example.com', password: TEST_PASSWORD, name: 'Second' });
    if (!first.ok || !second.ok) throw new Error('operators');
    expect([first.operator.role, second.operator.role]).toEqual(['ADMIN', 'AGENT']);
    adminId = first.operator.id;
    agentId = second.operator.id;
    admin = await signIn('first.roles@example.com');
    agent = await signIn('second.roles@example.com');
  });
  afterAll(() => t?.close());

  it('refuses an agent what is for admins, on HTTP and over WebSocket, and writes nothing', async () => {
    const tokens = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_tokens'))[0]!.n;
    const before = await tokens();
    for (const [query, variables] of [
      [CREATE_TOKEN, {}],
      ['mutation { revokeApiToken(id: "00000000-0000-0000-0000-000000000001") { errors { code } } }', {}],
      [SET_ROLE, { id: agentId, role: 'ADMIN' }],
      ['{ apiTokens { id } }', {}],
    ] as const) {
      const res = (await t.gql(query, variables, agent)).body;
      expect(res.errors?.[0]?.extensions.code, query).toBe('FORBIDDEN');
      expect(res.errors[0].message).toMatch(/for admins/);
    }
    const ws = wsClient(t.url, { headers: agent });
    try {
      expect((await wsExecute(ws.client, CREATE_TOKEN)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await ws.client.dispose();
    }
    expect(await tokens()).toBe(before);
    expect((await (await fetch(`${t.url}/auth/session`, { headers: agent })).json()).role).toBe('AGENT');
    expect((await t.gql('{ viewer { role } }', {}, agent)).body.data.viewer.role).toBe('AGENT');
  });

  it("lets an agent work the conversations: send, note, saved replies, assign", async () => {
    const sent = (await t.gql('mutation { sendMessage(input: { to: "Role Customer", body: "hi" }) { message { conversationId } errors { code } } }', {}, agent)).body.data.sendMessage;
    expect(sent.errors).toEqual([]);
    const id = sent.message.conversationId;
    expect((await t.gql('mutation($id: ID!) { addNote(input: { conversationId: $id, body: "agent note" }) { errors { code } } }', { id }, agent)).body.data.addNote.errors).toEqual([]);
    expect((await t.gql(`mutation { createSavedReply(input: { name: "agent reply ${name}", body: "hello" }) { errors { code } } }`, {}, agent)).body.data.createSavedReply.errors).toEqual([]);
    expect((await t.gql('mutation($id: ID!, $a: ID) { assignConversation(id: $id, assigneeId: $a) { errors { code } } }', { id, a: agentId }, agent)).body.data.assignConversation.errors).toEqual([]);
  });

  it('an admin makes an agent an admin (it applies at once) and back; never leaves the team without one', async () => {
    const promoted = (await t.gql(SET_ROLE, { id: agentId, role: 'ADMIN' }, admin)).body.data.setOperatorRole;
    expect(promoted).toEqual({ operator: { id: agentId, role: 'ADMIN' }, errors: [] });
    expect((await t.gql(CREATE_TOKEN, {}, agent)).body.data.createApiToken.errors).toEqual([]);
    expect((await t.gql(SET_ROLE, { id: agentId, role: 'AGENT' }, admin)).body.data.setOperatorRole.errors).toEqual([]);
    expect((await t.gql(CREATE_TOKEN, {}, agent)).body.errors[0].extensions.code).toBe('FORBIDDEN');

    // Every admin but the test app's own operators: this inbox's only admin cannot step down.
    const admins = await t.db.query<{ id: string }>(`SELECT id FROM operators WHERE role = 'ADMIN'`);
    expect(admins.map((a) => a.id)).toEqual([adminId]);
    expect((await t.gql(SET_ROLE, { id: adminId, role: 'AGENT' }, admin)).body.data.setOperatorRole).toEqual({ operator: null, errors: [{ field: 'role', code: 'LAST_ADMIN' }] });
    expect((await t.gql(SET_ROLE, { id: 'nope', role: 'AGENT' }, admin)).body.data.setOperatorRole.errors).toEqual([{ field: 'id', code: 'INVALID_ID' }]);
    expect((await t.gql(SET_ROLE, { id: '00000000-0000-0000-0000-00000000dead', role: 'AGENT' }, admin)).body.data.setOperatorRole.errors).toEqual([{ field: 'id', code: 'NOT_FOUND' }]);
    expect((await t.db.query<{ role: string }>('SELECT role FROM operators WHERE id = $1', [adminId]))[0]!.role).toBe('ADMIN');
    // A program is not an admin, whatever its scope.
    expect((await t.gql(SET_ROLE, { id: agentId, role: 'ADMIN' })).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it.runIf(name === 'postgres')('lets only one of two admins demoting each other at once succeed', async () => {
    await t.gql(SET_ROLE, { id: agentId, role: 'ADMIN' }, admin);
    const [a, b] = await Promise.all([t.gql(SET_ROLE, { id: agentId, role: 'AGENT' }, admin), t.gql(SET_ROLE, { id: adminId, role: 'AGENT' }, agent)]);
    const codes = [a, b].map((r) => r.body.data.setOperatorRole.errors.map((e: { code: string }) => e.code).join(''));
    expect(codes.sort()).toEqual(['', 'LAST_ADMIN']);
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM operators WHERE role = 'ADMIN'`))[0]!.n).toBe(1);
  });
});
