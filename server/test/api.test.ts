import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const SEND = /* GraphQL */ `
  mutation Send($input: SendMessageInput!) {
    sendMessage(input: $input) {
      message { id conversationId from to body direction channel status providerSid createdAt updatedAt }
      errors { field code message }
    }
  }`;

describe.each(testDatabases())('GraphQL API on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  const send = (input: Record<string, unknown>) => t.gql(SEND, { input });
  const countRows = async () => {
    const [m] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
    const [c] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations');
    const [o] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_outbox');
    return { messages: m!.n, conversations: c!.n, outbox: o!.n };
  };
  const waitForStatus = async (id: string, status: string) => {
    for (let i = 0; i < 100; i++) {
      const m = await t.db.prisma.message.findUnique({ where: { id } });
      if (m?.status === status) return m;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`message ${id} never reached ${status}`);
  };

  it('stores a message to a name as INTERNAL/STORED in the conversation with the right id', async () => {
    const { status, body } = await send({ to: 'Front Desk', body: 'Room 12 needs towels', from: '+14155550100' });
    expect(status).toBe(200);
    const { message, errors } = body.data.sendMessage;
    expect(errors).toEqual([]);
    expect(message).toMatchObject({
      conversationId: '706fc036-eda4-c34f-862d-b2620f1e0e9d',
      from: '+14155550100',
      to: 'Front Desk',
      direction: 'OUTBOUND',
      channel: 'INTERNAL',
      status: 'STORED',
      providerSid: null,
    });
  });

  it('defaults the sender of a stored-only message to the operator name', async () => {
    const { body } = await send({ to: 'Alice', body: 'hello' });
    expect(body.data.sendMessage.message).toMatchObject({ from: 'Operator', conversationId: conversationId('Operator', 'Alice') });
  });

  it('sends an SMS to a phone number through the sender and follows it to DELIVERED', async () => {
    const { body } = await send({ to: '+15557654321', body: 'Your table is ready', from: '+15005550006' });
    const { message } = body.data.sendMessage;
    expect(message).toMatchObject({ channel: 'SMS', status: 'QUEUED', conversationId: conversationId('+15005550006', '+15557654321') });
    const delivered = await waitForStatus(message.id, 'DELIVERED');
    expect(delivered.providerSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect((await countRows()).outbox).toBe(0);
  });

  it('returns the same message for the same idempotency key, and sends once', async () => {
    const input = { to: '+15550001111', body: 'only once', idempotencyKey: 'order-42-confirmation' };
    const [a, b] = await Promise.all([send(input), send(input)]);
    const c = await send(input);
    const ids = [a, b, c].map((r) => r.body.data.sendMessage.message.id);
    expect(new Set(ids).size).toBe(1);
    const rows = await t.db.query('SELECT id FROM messages WHERE idempotency_key = $1', [input.idempotencyKey]);
    expect(rows).toHaveLength(1);
    await waitForStatus(ids[0]!, 'DELIVERED');
    const reused = await send({ ...input, body: 'something else' });
    expect(reused.body.data.sendMessage).toMatchObject({ message: null, errors: [{ field: 'idempotencyKey', code: 'IDEMPOTENCY_KEY_REUSED' }] });
  });

  it('lists conversations most recent first, Relay-style, with the last message and no gaps across pages', async () => {
    for (const name of ['P1', 'P2', 'P3', 'P4', 'P5']) await send({ to: name, body: `hi ${name}` });
    await send({ to: 'P2', body: 'P2 again' });
    const q = /* GraphQL */ `query($after: String) { conversations(first: 2, after: $after) {
      edges { cursor node { id participants lastMessageAt lastMessage { body } } }
      pageInfo { hasNextPage endCursor } } }`;
    const seen: any[] = [];
    let after: unknown = null;
    for (;;) {
      const { body } = await t.gql(q, { after });
      expect(body.errors).toBeUndefined();
      const page = body.data.conversations;
      seen.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen[0]).toMatchObject({ participants: ['Operator', 'P2'], lastMessage: { body: 'P2 again' } });
    const times = seen.map((c) => Date.parse(c.lastMessageAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);
    const [total] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations');
    expect(seen).toHaveLength(total!.n);
  });

  it('pages a thread oldest to newest forwards and backwards', async () => {
    for (let i = 1; i <= 7; i++) await send({ to: 'Pager', body: `m${i}` });
    const id = conversationId('Operator', 'Pager');
    const fwd = /* GraphQL */ `query($id: ID!, $after: String) { conversation(id: $id) {
      messages(first: 3, after: $after) { edges { node { body } } pageInfo { hasNextPage endCursor } } } }`;
    const bodies: string[] = [];
    let after: unknown = null;
    for (;;) {
      const { body } = await t.gql(fwd, { id, after });
      const m = body.data.conversation.messages;
      bodies.push(...m.edges.map((e: any) => e.node.body));
      if (!m.pageInfo.hasNextPage) break;
      after = m.pageInfo.endCursor;
    }
    expect(bodies).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    const back = await t.gql(
      /* GraphQL */ `query($id: ID!) { conversation(id: $id) { messages(last: 2) { edges { node { body } } pageInfo { hasPreviousPage startCursor } } } }`,
      { id },
    );
    const last = back.body.data.conversation.messages;
    expect(last.edges.map((e: any) => e.node.body)).toEqual(['m6', 'm7']);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    const before = await t.gql(
      /* GraphQL */ `query($id: ID!, $before: String) { conversation(id: $id) { messages(last: 2, before: $before) { edges { node { body } } } } }`,
      { id, before: last.pageInfo.startCursor },
    );
    expect(before.body.data.conversation.messages.edges.map((e: any) => e.node.body)).toEqual(['m4', 'm5']);
  });

  it('searches conversations by participant, in any case', async () => {
    await send({ to: 'Housekeeping', body: 'x' });
    const { body } = await t.gql(`{ conversations(first: 10, search: "housek") { edges { node { participants } } } }`);
    expect(body.data.conversations.edges.map((e: any) => e.node.participants)).toEqual([['Housekeeping', 'Operator']]);
  });

  it('marks a conversation read and counts unread inbound messages', async () => {
    const id = conversationId('Operator', 'Guest');
    await send({ to: 'Guest', body: 'hello' });
    await t.db.prisma.message.createMany({
      data: [1, 2].map((i) => ({ conversationId: id, from: 'Guest', to: 'Operator', body: `in ${i}`, direction: 'INBOUND' as const, channel: 'INTERNAL' as const, status: 'RECEIVED' as const })),
    });
    const q = `query($id: ID!) { conversation(id: $id) { unreadCount lastReadAt } }`;
    expect((await t.gql(q, { id })).body.data.conversation).toEqual({ unreadCount: 2, lastReadAt: null });
    const read = await t.gql(`mutation($id: ID!) { markConversationRead(id: $id) { conversation { unreadCount lastReadAt } errors { code } } }`, { id });
    expect(read.body.data.markConversationRead.conversation.unreadCount).toBe(0);
    expect(read.body.data.markConversationRead.conversation.lastReadAt).not.toBeNull();
    const bad = await t.gql(`mutation { a: markConversationRead(id: "nope") { errors { code } } b: markConversationRead(id: "00000000-0000-0000-0000-000000000000") { errors { code } } }`);
    expect(bad.body.data).toEqual({ a: { errors: [{ code: 'INVALID_ID' }] }, b: { errors: [{ code: 'NOT_FOUND' }] } });
  });

  it('answers smsSegments for the composer and exposes segments on messages', async () => {
    const { body } = await t.gql(`{ smsSegments(body: "${'ж'.repeat(71)}") { encoding segments units perSegment remaining } }`);
    expect(body.data.smsSegments).toEqual({ encoding: 'UCS2', segments: 2, units: 71, perSegment: 67, remaining: 63 });
  });

  describe('bad input: a clear error, never a 500, nothing written', () => {
    it.each([
      [{ to: '555-1234', body: 'hi' }, 'to', 'INVALID_PHONE_NUMBER'],
      [{ to: '+12', body: 'hi' }, 'to', 'INVALID_PHONE_NUMBER'],
      [{ to: '+1 555 123 45', body: 'hi' }, 'to', 'INVALID_PHONE_NUMBER'],
      [{ to: '+0000000000', body: 'hi' }, 'to', 'INVALID_PHONE_NUMBER'],
      [{ to: 'tel:+1555123456x', body: 'hi' }, 'to', 'INVALID_PHONE_NUMBER'],
      [{ to: 'Bob', body: 'a\u0000b' }, 'body', 'INVALID_CHARACTERS'],
      [{ to: '+15551234567', body: '' }, 'body', 'EMPTY_BODY'],
      // Optional in the schema (a template needs none), required of free text.
      [{ to: '+15551234567' }, 'body', 'EMPTY_BODY'],
      [{ to: 'Bob', body: 'x'.repeat(1601) }, 'body', 'BODY_TOO_LONG'],
      [{ to: 'x'.repeat(101), body: 'hi' }, 'to', 'INVALID_RECIPIENT'],
      [{ to: 'Operator', body: 'to myself' }, 'to', 'INVALID_RECIPIENT'],
      [{ to: '+15551234567', body: 'hi', from: 'Not a number' }, 'from', 'INVALID_SENDER'],
    ])('%j → %s %s', async (input, field, code) => {
      const before = await countRows();
      const { status, body } = await send(input);
      expect(status).toBe(200);
      expect(body.data.sendMessage.message).toBeNull();
      expect(body.data.sendMessage.errors).toContainEqual(expect.objectContaining({ field, code, message: expect.any(String) }));
      expect(await countRows()).toEqual(before);
    });

    it('rejects malformed GraphQL with a 400 and a syntax error', async () => {
      const before = await countRows();
      const { status, body } = await t.gql('mutation { sendMessage(input: { to: "Bob" body: "x" ');
      expect(status).toBe(400);
      expect(body.errors[0].message).toMatch(/Syntax Error/);
      expect(await countRows()).toEqual(before);
    });

    it('rejects wrong types and missing fields with a validation error, not a 500', async () => {
      const before = await countRows();
      const r1 = await t.gql(SEND, { input: { to: 15551234567, body: 'x' } });
      const r2 = await t.gql(SEND, { input: { to: 'Bob', body: 'x', contentVariables: [{ value: 'no name' }] } });
      const r3 = await t.gql('{ conversations(first: "ten") { edges { cursor } } }');
      const r4 = await t.gql('{ conversations { nope } }');
      for (const r of [r1, r2, r3, r4]) {
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(r.body.errors?.length).toBeGreaterThan(0);
      }
      expect(r1.body.errors[0].message).toMatch(/String cannot represent a non string value/);
      expect(r2.body.errors[0].message).toMatch(/name.*required/);
      expect(await countRows()).toEqual(before);
    });

    it('answers an unknown or malformed conversation id with NOT_FOUND / BAD_USER_INPUT', async () => {
      const unknown = await t.gql(`{ conversation(id: "00000000-0000-0000-0000-000000000000") { id } }`);
      expect(unknown.status).toBe(200);
      expect(unknown.body.data.conversation).toBeNull();
      expect(unknown.body.errors[0].extensions.code).toBe('NOT_FOUND');
      const malformed = await t.gql(`{ conversation(id: "not-a-uuid") { id } }`);
      expect(malformed.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(malformed.body.errors[0].message).toMatch(/not a valid conversation id/);
    });

    it('refuses queries that are too deep or too costly (query limits)', async () => {
      const deep = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: smsSegments(body: "x") { units }`).join(" ")} }`;
      const { status, body } = await t.gql(deep);
      expect(status).toBeLessThan(500);
      expect(body.errors[0].message).toMatch(/alias/i);
    });
  });
});
