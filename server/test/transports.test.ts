import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { revokeApiToken } from '../modules/access/api-tokens.service.ts';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { multipartParts, wsClient, wsExecute, wsSubscribe } from '../testing/graphql-ws.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

// The multipart (Apollo's protocol) and graphql-ws (WebSocket) transports at the wire: who may
// connect, the limits, resume by cursor, revocation and shutdown. The clients consumers use are
// driven in consumers.test.ts.
const UPDATES = `subscription($after: String, $c: ID) { messageUpdated(after: $after, conversationId: $c) { cursor messageId action } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id conversationId } errors { code } } }`;
const MULTIPART = 'multipart/mixed;subscriptionSpec="1.0", application/json';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe.each(testDatabases())('multipart and WebSocket transports on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { streamLimits: { maxSubscriptionsPerStream: 3, maxStreamsPerCredential: 2 } });
  });
  afterAll(() => t?.close());

  const send = async (to: string, body: string) => (await t.gql(SEND, { input: { to, body } })).body.data.sendMessage.message as { id: string; conversationId: string };
  const newest = async () => (await t.db.query<{ max: string }>('SELECT COALESCE(MAX(seq), 0)::text AS max FROM message_changes'))[0]!.max;
  const multipart = (body: unknown, headers: Record<string, string> = t.headers, signal?: AbortSignal) =>
    fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: MULTIPART, ...headers }, body: JSON.stringify(body), signal });

  it('multipart: answers with subscriptionSpec 1.0 parts, a {} heartbeat every 5 s, and replays from a cursor', async () => {
    const start = await newest();
    const a = await send('Multipart replay', 'one');
    const b = await send('Multipart replay', 'two');
    const stop = new AbortController();
    const res = await multipart({ query: UPDATES, variables: { after: start, c: a.conversationId } }, t.headers, stop.signal);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    const parts = multipartParts(res);
    const first = (await parts.next()).value;
    const second = (await parts.next()).value;
    expect([first.payload.data.messageUpdated.messageId, second.payload.data.messageUpdated.messageId]).toEqual([a.id, b.id]);
    const began = Date.now();
    expect((await parts.next()).value).toEqual({});
    expect(Date.now() - began).toBeGreaterThan(3000);
    stop.abort();
    await parts.return(undefined).catch(() => {});
    await eventually(async () => (await subscriptions()) === 0, 3000, 'the subscription to end with its request');
  }, 15_000);

  const subscriptions = async () => {
    const text = await (await fetch(`${t.url}/metrics`, { headers: t.headers })).text();
    return Number(/^hatch_subscriptions_active (\d+)/m.exec(text)?.[1]);
  };

  it('single-connection streams: a credential holds at most its limit, and a closed stream frees its place', async () => {
    const stream = (method: string, headers: Record<string, string> = {}) => fetch(`${t.url}/graphql/stream`, { method, headers: { ...t.headers, ...headers } });
    const first = await stream('PUT');
    const second = await stream('PUT');
    expect([first.status, second.status]).toEqual([201, 201]);
    const third = await stream('PUT');
    expect(third.status).toBe(429);
    expect((await third.json()).errors[0].extensions.code).toBe('TOO_MANY_STREAMS');
    // Open the first and hang up: its reservation goes, and with it the credential's count.
    const stop = new AbortController();
    const opened = await fetch(`${t.url}/graphql/stream`, {
      headers: { ...t.headers, accept: 'text/event-stream', 'x-graphql-event-stream-token': await first.text() },
      signal: stop.signal,
    });
    expect(opened.status).toBe(200);
    stop.abort();
    await eventually(async () => {
      const again = await stream('PUT');
      if (again.status !== 201) return false;
      // Leave things as they were: release this one too.
      const token = await again.text();
      const s = new AbortController();
      await fetch(`${t.url}/graphql/stream`, { headers: { ...t.headers, accept: 'text/event-stream', 'x-graphql-event-stream-token': token }, signal: s.signal });
      s.abort();
      return true;
    }, 5000, 'a place freed by the closed stream');
    const s2 = new AbortController();
    await fetch(`${t.url}/graphql/stream`, { headers: { ...t.headers, accept: 'text/event-stream', 'x-graphql-event-stream-token': await second.text() }, signal: s2.signal });
    s2.abort();
  });

  it('multipart: refuses no credentials with 401, and bad operations with coded errors in a part', async () => {
    const anonymous = await multipart({ query: UPDATES }, {});
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const broken = await multipart({ query: 'subscription { messageUpdated { nope } }' });
    const [part] = await all(multipartParts(broken));
    expect(part.payload.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const notJson = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: MULTIPART, ...t.headers }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('multipart: a revoked token ends the response with the protocol\'s transport error', async () => {
    const token = await t.token('multipart revoked', 'read');
    const res = await multipart({ query: UPDATES }, { authorization: `Bearer ${token}` });
    const parts = multipartParts(res);
    await eventually(async () => (await subscriptions()) > 0, 3000, 'the subscription to start');
    await revokeApiToken(t.db, { name: 'multipart revoked' });
    const rest = await all(parts);
    expect(rest.at(-1)).toEqual({ payload: null, errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] });
  });

  it('lets the Accept header choose: JSON for a query when JSON comes first, a stream for a subscription', async () => {
    // urql's default Accept: JSON first, then both streaming types.
    const accept = 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed';
    const post = (query: string, type = accept) => fetch(`${t.url}/graphql`, { method: 'POST', headers: { ...t.headers, 'content-type': 'application/json', accept: type }, body: JSON.stringify({ query }) });
    expect((await post('{ viewer { name } }')).headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const sub = await post('subscription { messageUpdated { cursor } }');
    expect(sub.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await sub.body?.cancel();
    const plain = await post('subscription { messageUpdated { cursor } }', 'application/json');
    expect(plain.status).toBe(406);
    expect((await plain.json()).errors[0].extensions.code).toBe('STREAMING_TRANSPORT_REQUIRED');
  });

  it('graphql-ws: takes a token from connection_init and runs queries, mutations and subscriptions', async () => {
    const { client } = wsClient(t.url, { connectionParams: { authorization: t.headers.authorization } });
    const sub = wsSubscribe(client, UPDATES);
    await eventually(async () => (await subscriptions()) > 0, 3000, 'the subscription to start');
    const sent = await wsExecute(client, SEND, { input: { to: 'Over a WebSocket', body: 'hello' } });
    const id = sent.data.sendMessage.message.id;
    await sub.until((ev) => ev.some((e) => e.messageUpdated.messageId === id));
    const read = await wsExecute(client, '{ conversations(first: 1) { edges { node { lastMessage { id } } } } }');
    expect(read.data.conversations.edges[0].node.lastMessage.id).toBe(id);
    sub.dispose();
    await client.dispose();
  });

  it('graphql-ws: refuses a connection without credentials (4401), with a bad token (4401) and a cross-site session (4403)', async () => {
    for (const connectionParams of [undefined, { authorization: 'Bearer hatch_nope' }, { token: 42 }]) {
      const { client, closed } = wsClient(t.url, { connectionParams, lazy: false });
      expect((await closed).code).toBe(4401);
      await client.dispose();
    }
    const { cookie } = await t.operator();
    const foreign = wsClient(t.url, { headers: { cookie, origin: 'https://evil.example' }, lazy: false });
    expect((await foreign.closed).code).toBe(4403);
    const own = wsClient(t.url, { headers: { cookie, origin: t.url } });
    expect((await wsExecute(own.client, '{ viewer { name } }')).data).toBeTruthy();
    await own.client.dispose();
    // A handshake whose Authorization header does not work is refused before the upgrade.
    const refused = await handshakeStatus({ authorization: 'Bearer hatch_nope' });
    expect(refused).toBe(401);
    expect(await handshakeStatus({ host: 'rebound.example' })).toBe(421);
  });

  it("graphql-ws: closes with 4400 a client that sends a server's message or no JSON, and with 4408 one that never says connection_init", async () => {
    const closedAfter = (frames: string[]) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws');
        ws.once('open', () => {
          ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: t.headers.authorization } }));
          for (const frame of frames) ws.send(frame);
        });
        ws.once('close', (code) => resolve(code));
      });
    for (const frame of ['{"type":"connection_ack"}', '{"type":"next","id":"1","payload":{}}', '{"type":"error","id":"1","payload":[]}', 'not json']) {
      expect(await closedAfter([frame]), frame).toBe(4400);
    }
    const silent = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws');
    const started = Date.now();
    const code = await new Promise<number>((resolve) => silent.once('close', resolve));
    expect(code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });

  const handshakeStatus = (headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws', { headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });

  it('graphql-ws: applies the same limits as HTTP (cost, aliases, operations per connection, connections per credential)', async () => {
    const { client } = wsClient(t.url, { connectionParams: { token: t.headers.authorization!.slice(7) } });
    const costly = await wsExecute(client, '{ conversations(first: 100) { edges { node { messages(first: 100) { edges { node { id } } } } } } }');
    expect(costly.errors?.[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const aliases = await wsExecute(client, `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: viewer { name }`).join(' ')} }`);
    expect(aliases.errors?.[0].extensions.code).toBe('TOO_MANY_ALIASES');
    const subs = [0, 1, 2].map(() => wsSubscribe(client, UPDATES));
    await eventually(async () => (await subscriptions()) >= 3, 3000, 'three subscriptions');
    const fourth = await wsExecute(client, UPDATES);
    expect(fourth.errors?.[0].extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    for (const s of subs) s.dispose();
    await client.dispose();
    // Connections per credential are bounded like single-connection streams: the third is closed.
    const token = await t.token('three connections', 'read');
    const three = [0, 1, 2].map(() => wsClient(t.url, { connectionParams: { token }, lazy: false }));
    expect((await Promise.race(three.map((c) => c.closed))).code).toBe(1008);
    for (const c of three) await c.client.dispose();
  });

  it('graphql-ws: resumes by cursor, and is closed with 4401 when its token is revoked or its session ends', async () => {
    const start = await newest();
    const a = await send('WebSocket replay', 'one');
    const token = await t.token('ws revoked', 'read');
    const { client, closed } = wsClient(t.url, { connectionParams: { authorization: `Bearer ${token}` } });
    const sub = wsSubscribe(client, UPDATES, { after: start, c: a.conversationId });
    const b = await send('WebSocket replay', 'two');
    expect((await sub.until((ev) => ev.length >= 2)).map((e) => e.messageUpdated.messageId)).toEqual([a.id, b.id]);
    const asOperator = await t.operator();
    const id = (await t.db.query<{ id: string }>('SELECT id::text FROM api_tokens WHERE name = $1', ['ws revoked']))[0]!.id;
    const revoked = await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) { errors { code } } }', { id }, { cookie: asOperator.cookie, origin: t.url });
    expect(revoked.body.data.revokeApiToken.errors).toEqual([]);
    expect((await closed).code).toBe(4401);

    const session = wsClient(t.url, { headers: { cookie: asOperator.cookie }, lazy: false });
    await wsExecute(session.client, '{ viewer { name } }');
    await fetch(`${t.url}/auth/sign-out`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: asOperator.cookie, origin: t.url }, body: '{}' });
    expect((await session.closed).code).toBe(4401);
  });

  it('graphql-ws: answers on /graphql too, limits sending like HTTP, and tells clients 1001 (going away) at shutdown', async () => {
    const other = await startTestApp(await open(), { config: testConfig({ SMS_RATE_LIMIT: '1' }) });
    const { client } = wsClient(other.url, { path: '/graphql', connectionParams: { authorization: other.headers.authorization } });
    expect((await wsExecute(client, '{ viewer { name } }')).data).toBeTruthy();
    const input = { to: 'Rate limited', body: 'one' };
    expect((await wsExecute(client, SEND, { input })).data.sendMessage.errors).toEqual([]);
    const second = await wsExecute(client, 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { errors { code retryAfterSeconds } } }', { input: { ...input, body: 'two' } });
    expect(second.data.sendMessage.errors).toEqual([{ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) }]);
    await client.dispose();
    // A subscription keeps the (lazy) client's connection open through the shutdown.
    const { client: listening, closed } = wsClient(other.url, { connectionParams: { authorization: other.headers.authorization } });
    const live = wsSubscribe(listening, UPDATES);
    await eventually(async () => /^hatch_websockets_open 1$/m.test(await (await fetch(`${other.url}/metrics`, { headers: other.headers })).text()), 3000, 'the connection');
    await other.app.close();
    expect((await closed).code).toBe(1001);
    live.dispose();
    other.app.server.closeAllConnections();
  });
});
