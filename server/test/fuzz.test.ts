import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { signTwilioRequest } from '../testing/twilio-standin.ts';

// Thousands of generated requests at every entry point: GraphQL operations with odd variables,
// hostile documents, broken HTTP, both SSE modes, forged and odd Twilio webhooks. Every answer must
// be a 4xx or a GraphQL error (never a 5xx, never an "unexpected error"), the server must stay up,
// and the database must hold exactly what the accepted requests wrote.
const FIXED_SEED = 20261126;
const WEBHOOK_TOKEN = 'fuzz-webhooks';
const kind = testDatabases().at(-1)!;

const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 4 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '%', '_', '\\', "'; DROP TABLE messages; --", 'x'.repeat(5000), '😀'.repeat(1601)),
  fc.constantFrom('+15551234567', '(555) 123-4567', '+1555123456x', 'tel:+15551234567', '+0000000000', '+447700900123', '\uFF0B\uFF11\uFF15\uFF15\uFF15\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17', '555-1234'),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', '3a92e7c6-1951-0954-f1a5-632808a295fe', 'not-a-uuid', '1', '-1', '99999999999999999999'),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: oddString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(oddString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), oddString, { maxKeys: 3 }),
);

const sendInput = fc.oneof(
  fc.record({ to: anyValue, body: anyValue, from: anyValue, idempotencyKey: anyValue, conversationId: anyValue, extra: anyValue }, { requiredKeys: [] }),
  // Sends that should go through (most of them), so the database has something to account for.
  fc.record(
    {
      to: fc.constantFrom('Alice', 'Bob', 'Front desk', '+15551234567', '(555) 010-2030', 'tel:+14155550100', '+447700900123'),
      body: fc.string({ minLength: 1, maxLength: 60 }).filter((b) => b.trim() !== ''),
      idempotencyKey: fc.string({ minLength: 1, maxLength: 12 }),
    },
    { requiredKeys: ['to', 'body'] },
  ),
);

const OPERATIONS = [
  'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id conversationId } errors { field code } } }',
  'query($first: Int, $after: String, $search: String) { conversations(first: $first, after: $after, search: $search) { edges { cursor node { id participants unreadCount lastMessage { body } contacts { optedOut } } } pageInfo { endCursor } } }',
  'query($id: ID!, $last: Int, $before: String) { conversation(id: $id) { id messages(last: $last, before: $before) { edges { node { id body sentBy { kind } statusHistory { status } media { url } } } } } }',
  'mutation($id: ID!) { markConversationRead(id: $id) { errors { code } } }',
  'query($body: String!) { smsSegments(body: $body) { segments encoding } }',
  'mutation($name: String!) { createApiToken(name: $name) { token errors { code } } }',
  'mutation($id: ID!) { revokeApiToken(id: $id) { errors { code } } }',
  '{ viewer { kind name } apiTokens { name } }',
];
const variables = fc.record({ input: sendInput, first: anyValue, after: anyValue, search: anyValue, id: anyValue, last: anyValue, before: anyValue, body: anyValue, name: anyValue }, { requiredKeys: [] });

const hostileDocument = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map((n) => `{ ${'conversations(first: 1) { edges { node { '.repeat(n)}id${' } } }'.repeat(n)} }`),
  fc.integer({ min: 1, max: 200 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { name }`).join(' ')} }`),
  fc.integer({ min: 1, max: 30 }).map((n) => `query { ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { viewer { name } ${i + 1 < n ? `...F${i + 1} ...F${i + 1}` : ''} }`).join(' ')}`),
  fc.integer({ min: 1, max: 100 }).map((n) => `{ viewer { name ${'@include(if: true) '.repeat(n)} } }`),
  fc.integer({ min: 1, max: 100 }).map((n) => `{ conversations(first: ${n * 37}) { edges { node { messages(first: ${n * 41}) { edges { node { id } } } } } } }`),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('subscription { messageUpdated { cursor } }', 'mutation { __typename }', '{ __schema { types { name } } }', '', '{', '}}}}'),
);

type Request =
  | { kind: 'operation'; query: string; variables: unknown; auth: 'token' | 'none' | 'garbage' }
  | { kind: 'document'; query: string }
  | { kind: 'raw'; method: string; contentType: string; body: string; path: string }
  | { kind: 'get'; query: string; variables: string }
  | { kind: 'sse-distinct'; body: string }
  | { kind: 'sse-single'; steps: { method: string; token: 'own' | 'random' | 'none'; body: string; opId: string }[] }
  | { kind: 'webhook'; path: string; params: Record<string, string>; signature: 'valid' | 'wrong' | 'none' }
  | { kind: 'sign-in'; contentType: string; body: string; origin: string | undefined }
  | { kind: 'legacy'; method: string; path: string; contentType: string; body: string; lastEventId: string | undefined; auth: 'token' | 'none' | 'garbage' }
  | { kind: 'ws'; frames: string[]; init: 'token' | 'none' | 'garbage' | 'odd'; origin: string | undefined };

// Operations a WebSocket may carry here: every one but sends, so that the accounting of stored
// messages below stays with the HTTP requests.
const WS_OPERATIONS = [...OPERATIONS.slice(1), 'subscription($after: String) { messageUpdated(after: $after) { cursor } }'];
const wsFrame = fc.oneof(
  fc.record({ id: fc.oneof(fc.string({ maxLength: 6 }), anyValue), type: fc.constant('subscribe'), payload: fc.record({ query: fc.oneof(fc.constantFrom(...WS_OPERATIONS), hostileDocument), variables: fc.oneof(variables, anyValue) }, { requiredKeys: [] }) }).map((f) => JSON.stringify(f)),
  fc.record({ id: anyValue, type: fc.constantFrom('complete', 'ping', 'pong', 'next', 'error', 'connection_ack', 'connection_init', 'bogus') }, { requiredKeys: [] }).map((f) => JSON.stringify(f)),
  fc.constantFrom('{"type":"connection_ack"}', '{"type":"error","id":"1","payload":[]}', '{"type":"next","id":"1","payload":{}}', '{"type":"complete","id":"nope"}', '{"type":"ping"}'),
  fc.json(),
  fc.string({ maxLength: 200 }),
);
/** The string with lone surrogates replaced, so that it can be put in a URL. */
const wellFormed = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const origins = fc.constantFrom(undefined, undefined, 'https://evil.example', 'null');

const request: fc.Arbitrary<Request> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('sign-in' as const),
      contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
      body: fc.oneof(fc.json(), fc.string({ maxLength: 200 }), fc.record({ email: anyValue, password: anyValue }, { requiredKeys: [] }).map((b) => JSON.stringify(b))),
      origin: origins,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('legacy' as const),
      method: fc.constantFrom('GET', 'POST', 'POST', 'PUT', 'DELETE'),
      path: fc.oneof(
        fc.constantFrom('/api/conversations', '/api/send_message', '/api/events/ticket', '/api/nope'),
        oddString.map((id) => `/api/conversation/${encodeURIComponent(wellFormed(id))}/messages`),
        oddString.map((ticket) => `/api/events?ticket=${encodeURIComponent(wellFormed(ticket))}`),
      ),
      contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', ''),
      body: fc.oneof(
        fc.json(),
        fc.string({ maxLength: 200 }),
        fc.record({ to: anyValue, body: anyValue, from: anyValue, idempotency_key: anyValue }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
        fc.record({ to: fc.constantFrom('Legacy Ann', '+15551230000'), body: fc.string({ minLength: 1, maxLength: 40 }).filter((b) => b.trim() !== ''), from: fc.constantFrom('Legacy Bob', '+15005550006') }).map((b) => JSON.stringify(b)),
      ),
      lastEventId: fc.option(oddString, { nil: undefined }),
      auth: fc.constantFrom('token' as const, 'token' as const, 'none' as const, 'garbage' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('ws' as const),
      frames: fc.array(wsFrame, { minLength: 0, maxLength: 5 }),
      init: fc.constantFrom('token' as const, 'token' as const, 'none' as const, 'garbage' as const, 'odd' as const),
      origin: origins,
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('operation' as const), query: fc.constant(OPERATIONS[0]!), variables: fc.record({ input: sendInput }), auth: fc.constant('token' as const) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('operation' as const), query: fc.constantFrom(...OPERATIONS), variables: fc.oneof(variables, anyValue), auth: fc.constantFrom('token' as const, 'token' as const, 'token' as const, 'none' as const, 'garbage' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('document' as const), query: hostileDocument }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/graphql', ''),
      body: fc.oneof(fc.string({ maxLength: 300 }), fc.json(), fc.constantFrom('{"query":', '[]', 'null', '{"query":null}', '{"query":{"a":1}}', '{"query":"{ viewer { name } }","variables":"x"}', '[null]', '[{"query":"{ viewer { name } }"},null]', '[1,"x",[],{}]')),
      path: fc.constantFrom('/graphql', '/graphql/stream', '/auth/sign-in', '/auth/setup', '/auth/sign-out', '/ready', '/metrics', '/nope'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), query: fc.oneof(fc.constantFrom(...OPERATIONS), hostileDocument), variables: fc.oneof(fc.json(), fc.string({ maxLength: 50 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sse-distinct' as const), body: fc.oneof(fc.json(), fc.string({ maxLength: 100 }), fc.constantFrom(JSON.stringify({ query: 'subscription { messageUpdated(after: "0") { cursor } }' }), JSON.stringify({ query: 'subscription { conversationUpdated(after: "x") { id } }' }))) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('sse-single' as const),
      steps: fc.array(
        fc.record({
          method: fc.constantFrom('PUT', 'POST', 'POST', 'DELETE', 'GET', 'PATCH'),
          token: fc.constantFrom('own' as const, 'own' as const, 'random' as const, 'none' as const),
          body: fc.oneof(fc.json(), fc.string({ maxLength: 100 }), fc.constantFrom(JSON.stringify({ query: 'subscription { messageUpdated { cursor } }', extensions: { operationId: 'a' } }), JSON.stringify({ query: '{', extensions: { operationId: 'b' } }))),
          opId: fc.string({ maxLength: 10 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('webhook' as const),
      path: fc.constantFrom('/twilio/inbound', '/twilio/status'),
      params: fc.dictionary(
        fc.constantFrom('MessageSid', 'SmsSid', 'From', 'To', 'Body', 'NumMedia', 'MediaUrl0', 'MediaContentType0', 'MessageStatus', 'ErrorCode', 'OptOutType', fc.sample(fc.string({ maxLength: 8 }), 1)[0]!),
        fc.oneof(oddString, fc.constantFrom('SM' + 'a'.repeat(32), '+15551234567', '+15005550006', 'delivered', '99', 'STOP')),
        { maxKeys: 8 },
      ),
      signature: fc.constantFrom('valid' as const, 'valid' as const, 'wrong' as const, 'none' as const),
    }),
  },
);

describe(`hostile and odd requests against the server on the ${kind.name} database`, () => {
  let t: TestApp;
  const accepted = new Set<string>();
  let inbound = new Set<string>();
  const problems: string[] = [];
  beforeAll(async () => {
    t = await startTestApp(await kind.open(), { sms: { simulatorToken: WEBHOOK_TOKEN } });
  });
  afterAll(() => t?.close());

  const json = (text: string) => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const check = (what: string, status: number, text: string) => {
    if (status >= 500 || /INTERNAL_SERVER_ERROR|Unexpected error|\/work\/|node_modules|\n\s+at /.test(text)) problems.push(`${what} → ${status} ${text.slice(0, 300)}`);
    expect(status, `${what}\n${text.slice(0, 500)}`).toBeLessThan(500);
  };
  const auth = (a: 'token' | 'none' | 'garbage'): Record<string, string> => (a === 'token' ? t.headers : a === 'garbage' ? { authorization: 'Bearer hatch_garbage' } : {});

  async function perform(r: Request): Promise<void> {
    switch (r.kind) {
      case 'operation':
      case 'document': {
        const body = JSON.stringify({ query: r.query, variables: r.kind === 'operation' ? r.variables : undefined });
        const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(r.kind === 'operation' ? r.auth : 'token') }, body, signal: AbortSignal.timeout(15_000) });
        const text = await res.text();
        check(`POST ${body.slice(0, 200)}`, res.status, text);
        const sent = json(text)?.data?.sendMessage?.message;
        if (sent?.id) accepted.add(sent.id);
        return;
      }
      case 'raw': {
        const res = await fetch(`${t.url}${r.path}`, {
          method: r.method,
          headers: { ...(r.contentType ? { 'content-type': r.contentType } : {}), ...t.headers, origin: t.url },
          body: r.method === 'OPTIONS' ? undefined : r.body,
          signal: AbortSignal.timeout(15_000),
        });
        return check(`${r.method} ${r.path} ${r.contentType} ${r.body.slice(0, 100)}`, res.status, await res.text());
      }
      case 'get': {
        const url = `${t.url}/graphql?query=${encodeURIComponent(r.query)}&variables=${encodeURIComponent(r.variables)}`;
        const res = await fetch(url, { headers: t.headers, signal: AbortSignal.timeout(15_000) });
        return check(`GET ${url.slice(0, 200)}`, res.status, await res.text());
      }
      case 'sse-distinct': {
        const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { ...t.headers, accept: 'text/event-stream', 'content-type': 'application/json' }, body: r.body, signal: AbortSignal.timeout(15_000) });
        return check(`SSE ${r.body.slice(0, 100)}`, res.status, await firstFrames(res));
      }
      case 'sse-single': {
        let own = '';
        const closers: (() => Promise<void>)[] = [];
        for (const step of r.steps) {
          const token = step.token === 'own' ? own : step.token === 'random' ? 'fuzzed-token' : '';
          const headers: Record<string, string> = { ...t.headers, ...(token ? { 'x-graphql-event-stream-token': token } : {}) };
          const url = `${t.url}/graphql/stream${step.method === 'DELETE' ? `?operationId=${encodeURIComponent(step.opId)}` : ''}`;
          if (step.method === 'GET') headers.accept = 'text/event-stream';
          if (step.method === 'POST') headers['content-type'] = 'application/json';
          const res = await fetch(url, { method: step.method, headers, body: step.method === 'POST' ? step.body : undefined, signal: AbortSignal.timeout(15_000) });
          if (step.method === 'GET' && res.status === 200) {
            check('single GET', res.status, await firstFrames(res, closers));
            continue;
          }
          const text = await res.text();
          check(`single ${step.method} ${step.body.slice(0, 80)}`, res.status, text);
          if (step.method === 'PUT' && res.status === 201) own = text;
        }
        await Promise.all(closers.map((close) => close()));
        return;
      }
      case 'sign-in': {
        const res = await fetch(`${t.url}/auth/sign-in`, {
          method: 'POST',
          headers: { ...(r.contentType ? { 'content-type': r.contentType } : {}), ...(r.origin ? { origin: r.origin } : {}) },
          body: r.body,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        check(`sign-in ${r.contentType} ${r.origin} ${r.body.slice(0, 100)}`, res.status, text);
        // No credentials are known to the fuzzer: nobody is ever signed in, and no cookie is set.
        expect(res.status, text).not.toBe(200);
        expect(res.headers.get('set-cookie')).toBeNull();
        return;
      }
      case 'legacy': {
        const headers: Record<string, string> = { ...auth(r.auth), ...(r.contentType ? { 'content-type': r.contentType } : {}) };
        // Header values as HTTP can carry them (fetch refuses anything else before sending).
        if (r.lastEventId !== undefined) headers['last-event-id'] = r.lastEventId.replace(/[^\x20-\x7e]/g, '');
        const res = await fetch(`${t.url}${r.path}`, { method: r.method, headers, body: r.method === 'GET' ? undefined : r.body, signal: AbortSignal.timeout(15_000) });
        const text = await firstFrames(res);
        check(`legacy ${r.method} ${r.path.slice(0, 80)} ${r.body.slice(0, 80)}`, res.status, text);
        const sent = r.path === '/api/send_message' ? json(text) : undefined;
        if (sent?.success && sent.message_id) accepted.add(sent.message_id);
        return;
      }
      case 'ws': {
        const outcome = await new Promise<{ code: number; reason: string }>((resolve) => {
          const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws', { headers: r.origin ? { origin: r.origin } : {} });
          const done = setTimeout(() => ws.close(1000), 400);
          ws.once('unexpected-response', (_req, res) => {
            clearTimeout(done);
            resolve({ code: res.statusCode ?? 0, reason: 'http' });
          });
          ws.once('error', () => {});
          ws.once('close', (code, reason) => {
            clearTimeout(done);
            resolve({ code, reason: String(reason) });
          });
          ws.once('open', () => {
            const payload = r.init === 'token' ? { authorization: t.headers.authorization } : r.init === 'garbage' ? { authorization: 'Bearer hatch_garbage' } : r.init === 'odd' ? { authorization: 42, headers: 'x' } : {};
            ws.send(JSON.stringify({ type: 'connection_init', payload }));
            for (const frame of r.frames) ws.send(frame);
          });
        });
        // A server error on a socket is 1011 (or graphql-ws's 4500): never one of those.
        if (outcome.code === 1011 || outcome.code === 4500 || outcome.code >= 500 && outcome.code < 600) problems.push(`ws ${JSON.stringify(r).slice(0, 300)} → ${outcome.code} ${outcome.reason}`);
        return;
      }
      case 'webhook': {
        const url = `${t.url}${r.path}`;
        const signature = r.signature === 'valid' ? signTwilioRequest(WEBHOOK_TOKEN, url, r.params) : r.signature === 'wrong' ? 'bm9wZQ==' : undefined;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
          body: new URLSearchParams(r.params),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        check(`webhook ${r.path} ${JSON.stringify(r.params).slice(0, 200)}`, res.status, text);
        if (r.signature !== 'valid') expect(res.status).toBe(403);
        if (res.status === 200 && r.path === '/twilio/inbound') inbound.add(r.params.MessageSid ?? r.params.SmsSid!);
        return;
      }
    }
  }

  const timing: Record<string, [number, number]> = {};
  const run = (seed: number | undefined, numRuns: number) =>
    fc.assert(
      fc.asyncProperty(request, async (r) => {
        const t0 = performance.now();
        await perform(r);
        const k = (timing[r.kind] ??= [0, 0]);
        k[0]++;
        k[1] += performance.now() - t0;
      }),
      { seed, numRuns, endOnFailure: true },
    );

  it('answers 10,000 generated requests with 4xx or GraphQL errors, never a 5xx, and stores exactly what was accepted', async () => {
    const before = Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM messages'))[0]!.n);
    await run(FIXED_SEED, Number(process.env.FUZZ_RUNS ?? 8000));
    console.log('fuzz timing', JSON.stringify(timing));
    const seed = Date.now();
    console.log(`fuzz: fixed seed ${FIXED_SEED} (8,000 requests), random seed ${seed} (2,000 requests)`);
    await run(seed, 2000);
    expect(problems).toEqual([]);
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    // What the database holds: one message per accepted send, one per new inbound text, no more.
    const after = Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM messages'))[0]!.n);
    const inboundStored = Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE direction = 'INBOUND'`))[0]!.n);
    expect(inboundStored).toBe(inbound.size);
    expect(after - before).toBe(accepted.size + inbound.size);
    console.log(`fuzz: ${accepted.size} sends accepted, ${inbound.size} inbound texts stored, 0 responses ≥ 500`);
  }, 600_000);
});

/**
 * The first frames of an event stream (or the whole body of a refusal), without waiting for more.
 * The stream is closed, or left open with its closer added to `keepOpen`.
 */
async function firstFrames(res: Response, keepOpen?: (() => Promise<void>)[]): Promise<string> {
  if (!res.headers.get('content-type')?.includes('text/event-stream')) return res.text();
  const reader = res.body!.getReader();
  let text = '';
  const deadline = Date.now() + 300;
  while (Date.now() < deadline && !/event: (next|complete)/.test(text)) {
    const chunk = await Promise.race([reader.read(), new Promise<undefined>((r) => setTimeout(r, 100))]);
    if (!chunk) continue;
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  if (keepOpen) keepOpen.push(() => reader.cancel());
  else await reader.cancel();
  return text;
}
