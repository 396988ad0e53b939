import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { signTwilioRequest } from '../testing/twilio-standin.ts';

const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id to channel } errors { field code } } }`;
const WEBHOOK_TOKEN = 'odd-input-webhooks';

describe.each(testDatabases())('input that is odd, not wrong, on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { sms: { simulatorToken: WEBHOOK_TOKEN } });
  });
  afterAll(() => t?.close());

  const rows = async () => Number((await t.db.query<{ n: string }>('SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM conversations) AS n'))[0]!.n);
  const send = async (input: Record<string, unknown>) => {
    const res = await t.gql(SEND, { input });
    expect(res.status).toBe(200);
    return res.body.data.sendMessage;
  };
  const webhook = (path: string, params: Record<string, string>) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(WEBHOOK_TOKEN, `${t.url}${path}`, params) },
      body: new URLSearchParams(params),
    });

  it('refuses NUL and half surrogate pairs with INVALID_CHARACTERS, writing nothing', async () => {
    const before = await rows();
    expect((await send({ to: 'Bob', body: 'a\u0000b' })).errors).toEqual([{ field: 'body', code: 'INVALID_CHARACTERS' }]);
    expect((await send({ to: 'Bob\u0000', body: 'hi' })).errors).toEqual([{ field: 'to', code: 'INVALID_CHARACTERS' }]);
    expect((await send({ to: 'Bob', body: 'x', from: 'Al\u0000' })).errors).toEqual([{ field: 'from', code: 'INVALID_CHARACTERS' }]);
    expect((await send({ to: 'Bob', body: 'x', idempotencyKey: '\u0000' })).errors).toEqual([{ field: 'idempotencyKey', code: 'INVALID_CHARACTERS' }]);
    expect((await send({ to: 'Bob', body: '\ud800' })).errors).toEqual([{ field: 'body', code: 'INVALID_CHARACTERS' }]);
    expect((await send({ conversationId: '\u0000', body: 'x' })).errors[0].code).toBe('NOT_FOUND');
    expect(await rows()).toBe(before);
  });

  it('reads numbers as people write them, and never stores a number as a name', async () => {
    for (const to of ['+1 (555) 010-2030', 'tel:+15550102030', '+1\u2011555\u2011010\u20112030', '\uFF0B\uFF11\uFF15\uFF15\uFF15\uFF10\uFF11\uFF10\uFF12\uFF10\uFF13\uFF10', '(555) 010-2030']) {
      expect((await send({ to, body: `to ${to}` })).message, to).toMatchObject({ to: '+15550102030', channel: 'SMS' });
    }
    for (const to of ['+1555123456x', '+0000000000', 'tel:+1', '555 010 20']) expect((await send({ to, body: 'x' })).errors, to).toEqual([{ field: 'to', code: 'INVALID_PHONE_NUMBER' }]);
  });

  it('treats %, _ and \\ in a search as themselves, and a NUL as a GraphQL error', async () => {
    for (const to of ['a_b', 'axb', '100%', '1000', 'back\\slash']) await send({ to, body: 'search me' });
    const search = async (s: string) => {
      const res = await t.gql('query($s: String) { conversations(first: 50, search: $s) { edges { node { participants } } } }', { s });
      return res.body;
    };
    const names = async (s: string) => (await search(s)).data.conversations.edges.map((e: any) => e.node.participants.find((p: string) => p !== 'Operator')).sort();
    expect(await names('a_b')).toEqual(['a_b']);
    expect(await names('%')).toEqual(['100%']);
    expect(await names('\\')).toEqual(['back\\slash']);
    const nul = await search('\u0000');
    expect(nul.errors[0].extensions.code).toBe('INVALID_CHARACTERS');
  });

  it('compares every field of a repeated idempotency key', async () => {
    const first = await send({ to: 'Keyed', body: 'once', idempotencyKey: 'every-field' });
    expect(first.errors).toEqual([]);
    expect((await send({ to: 'Keyed', body: 'once', idempotencyKey: 'every-field' })).message.id).toBe(first.message.id);
    expect((await send({ to: 'Keyed', body: 'once', from: 'Someone else', idempotencyKey: 'every-field' })).errors).toEqual([
      { field: 'idempotencyKey', code: 'IDEMPOTENCY_KEY_REUSED' },
    ]);
  });

  it('handles NUL in signed webhooks without a 5xx: an inbound text is kept, a broken status is refused', async () => {
    const res = await webhook('/twilio/inbound', { MessageSid: 'SMnul00000000000000000000000000001', From: '+15550109999', To: '+15005550006', Body: 'before\u0000after' });
    expect(res.status).toBe(200);
    const [kept] = await t.db.query<{ body: string }>(`SELECT body FROM messages WHERE provider_sid = 'SMnul00000000000000000000000000001'`);
    expect(kept!.body).toBe('before\uFFFDafter');
    expect((await webhook('/twilio/inbound', { MessageSid: 'SMnul2', From: '+1555\u00000109999', To: '+15005550006', Body: 'x' })).status).toBe(400);
    expect((await webhook('/twilio/status', { MessageSid: 'SMnul3', MessageStatus: 'deliv\u0000ered' })).status).toBe(400);
  });

  it('keeps a status callback Twilio sends again once', async () => {
    const sent = await send({ to: '+15550107777', body: 'status once' });
    const sid = await (async () => {
      for (let i = 0; i < 100; i++) {
        const [m] = await t.db.query<{ provider_sid: string | null }>('SELECT provider_sid FROM messages WHERE id = $1', [sent.message.id]);
        if (m?.provider_sid) return m.provider_sid;
        await new Promise((r) => setTimeout(r, 30));
      }
      throw new Error('never handed over');
    })();
    const count = async () => Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM message_status_events WHERE provider_sid = $1 AND status = 'undelivered'`, [sid]))[0]!.n);
    for (let i = 0; i < 6; i++) expect((await webhook('/twilio/status', { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' })).status).toBe(200);
    expect(await count()).toBe(1);
  });

  it('counts the nodes a query may touch, says what each cost, and names every limit by code', async () => {
    const page = await t.gql('{ conversations(first: 50) { edges { node { messages(first: 100) { edges { node { id } } } } } } }');
    expect(page.body.errors).toBeUndefined();
    expect(page.body.extensions.cost).toEqual({ nodes: 5050, limit: 10000 });
    const tooMuch = await t.gql(
      '{ a: conversations(first: 100) { edges { node { messages(first: 100) { edges { node { id } } } } } } b: conversations(first: 100) { edges { node { messages(first: 100) { edges { node { id } } } } } } }',
    );
    expect(tooMuch.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: { nodes: 20200, limit: 10000 } });
    expect(tooMuch.body.data ?? null).toBeNull();
    // One document, priced by its variables each time: a cheap page, then the same text asking for
    // too much, then cheap again.
    const sized = 'query($n: Int!, $m: Int!) { conversations(first: $n) { edges { node { messages(first: $m) { edges { node { id } } } } } } }';
    for (const [n, m, nodes] of [[10, 10, 110], [100, 100, 10100], [10, 10, 110], [20, 10, 220]] as const) {
      const res = await t.gql(sized, { n, m });
      if (nodes > 10000) expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: { nodes, limit: 10000 } });
      else expect(res.body.extensions.cost).toEqual({ nodes, limit: 10000 });
    }
    const deep = await t.gql(`{ ${'conversations(first: 1) { edges { node { messages(first: 1) { edges { node { id '.repeat(1)} } } } } } } }`);
    expect(deep.body.errors).toBeUndefined();
    const limits: [string, string][] = [
      [`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: smsSegments(body: "x") { units }`).join(' ')} }`, 'TOO_MANY_ALIASES'],
      [`{ ${'smsSegments(body: "x") { units } '.repeat(400)} }`, 'TOO_MANY_TOKENS'],
      [`query { viewer { name ${'@include(if: true) '.repeat(25)} } }`, 'TOO_MANY_DIRECTIVES'],
      ['{ conversations(first: 1 { edges }', 'GRAPHQL_PARSE_FAILED'],
      ['{ conversations(first: 1) { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [query, code] of limits) {
      const res = await t.gql(query);
      expect(res.status, code).toBeLessThan(500);
      expect(res.body.errors[0].extensions.code, query.slice(0, 40)).toBe(code);
      if (code !== 'GRAPHQL_PARSE_FAILED') expect(res.body.errors[0].message).not.toMatch(/^Syntax Error/);
    }
  });
});

describe('the embedded data folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hatch-private-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is its owner\'s alone, whatever the umask', async () => {
    const umask = process.umask(0o000);
    try {
      const db = await createEmbeddedDatabase(path.join(dir, 'data'));
      await db.query('CREATE TABLE t (x int)');
      await db.close();
    } finally {
      process.umask(umask);
    }
    const modes: string[] = [];
    const walk = (d: string) => {
      modes.push(`${d} ${(statSync(d).mode & 0o777).toString(8)}`);
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else modes.push(`${full} ${(statSync(full).mode & 0o777).toString(8)}`);
      }
    };
    walk(path.join(dir, 'data'));
    expect(modes.length).toBeGreaterThan(100);
    expect(modes.filter((m) => !/ (700|600)$/.test(m))).toEqual([]);
  });
});
