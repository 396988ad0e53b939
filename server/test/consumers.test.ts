import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client as UrqlClient, fetchExchange, subscriptionExchange } from 'urql';
import { buildSchema } from 'graphql';
import { printSchemaFile } from '../schema/print-schema.ts';
import { testConfig } from '../testing/config.ts';
import { testDatabases } from '../testing/databases.ts';
import { wsClient, wsExecute } from '../testing/graphql-ws.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

// The clients a consumer already uses, unmodified, in Node, against the real server over real
// sockets: Apollo Client (HttpLink: queries, mutations and multipart subscriptions; GraphQLWsLink),
// urql with graphql-ws. Each follows messageUpdated from a cursor and misses nothing.
const UPDATES = gql`
  subscription Updates($after: String, $c: ID) {
    messageUpdated(after: $after, conversationId: $c) {
      cursor
      messageId
      action
    }
  }
`;
const SEND = gql`
  mutation Send($input: SendMessageInput!) {
    sendMessage(input: $input) {
      message {
        id
        conversationId
      }
      errors {
        code
      }
    }
  }
`;
const LIST = gql`
  query List {
    conversations(first: 5) {
      edges {
        node {
          id
          participants
        }
      }
    }
  }
`;

interface Update {
  messageUpdated: { cursor: string; messageId: string; action: string };
}

/** What an observable-like stream (Apollo's, urql's) delivered, and a way to wait for enough of it. */
function collect<T>(source: { subscribe(observer: { next(v: T): void; error(e: unknown): void }): { unsubscribe(): void } }) {
  const values: T[] = [];
  const errors: unknown[] = [];
  const subscription = source.subscribe({ next: (v) => void values.push(v), error: (e) => void errors.push(e) });
  return {
    values,
    errors,
    until: (enough: (v: T[]) => boolean, what: string) => eventually(async () => (errors.length ? Promise.reject(errors[0]) : enough(values)), 8000, what),
    stop: () => subscription.unsubscribe(),
  };
}

describe.each(testDatabases())('third-party clients on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  const newest = async () => (await t.db.query<{ max: string }>('SELECT COALESCE(MAX(seq), 0)::text AS max FROM message_changes'))[0]!.max;
  const sendDirect = async (to: string, body: string) => (await t.gql(SEND.loc!.source.body, { input: { to, body } })).body.data.sendMessage.message;
  const apolloHttp = (headers: Record<string, string>) => new ApolloClient({ link: new HttpLink({ uri: `${t.url}/graphql`, headers }), cache: new InMemoryCache() });

  it('Apollo Client over HttpLink: a query, a mutation, and a multipart subscription resumed by cursor', async () => {
    const client = apolloHttp(t.headers);
    const start = await newest();
    const sent = await client.mutate({ mutation: SEND, variables: { input: { to: 'Apollo HTTP', body: 'one', idempotencyKey: 'apollo-http-1' } } });
    const first = (sent.data as any).sendMessage.message;
    const list = await client.query({ query: LIST, fetchPolicy: 'no-cache' });
    expect((list.data as any).conversations.edges.map((e: any) => e.node.id)).toContain(first.conversationId);
    const updates = collect<any>(client.subscribe({ query: UPDATES, variables: { after: start, c: first.conversationId } }));
    const second = await sendDirect('Apollo HTTP', 'two');
    await updates.until((v) => v.length >= 2, 'two updates over multipart');
    expect(updates.values.map((v) => (v.data as Update).messageUpdated.messageId)).toEqual([first.id, second.id]);
    updates.stop();
    // Without credentials the subscription fails with the GraphQL error itself (the 401 comes in
    // the media type Apollo asked for), so the app can branch on UNAUTHENTICATED.
    const anonymous = collect<any>(apolloHttp({}).subscribe({ query: UPDATES }));
    await eventually(async () => anonymous.errors.length > 0 || anonymous.values.some((v) => v.error), 5000, 'a refusal');
    const refusal = anonymous.errors[0] ?? anonymous.values[0].error;
    expect(refusal.errors?.[0]?.extensions?.code, String(refusal)).toBe('UNAUTHENTICATED');
  });

  it('Apollo Client over GraphQLWsLink: a subscription resumed by cursor; refused without a token', async () => {
    const { client: ws } = wsClient(t.url, { connectionParams: { authorization: t.headers.authorization } });
    const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
    const start = await newest();
    const first = await sendDirect('Apollo WS', 'one');
    const updates = collect<any>(client.subscribe({ query: UPDATES, variables: { after: start, c: first.conversationId } }));
    const second = await sendDirect('Apollo WS', 'two');
    await updates.until((v) => v.length >= 2, 'two updates over graphql-ws');
    expect(updates.values.map((v) => (v.data as Update).messageUpdated.messageId)).toEqual([first.id, second.id]);
    updates.stop();
    await ws.dispose();

    const anonymous = wsClient(t.url);
    const refused = collect<any>(new ApolloClient({ link: new GraphQLWsLink(anonymous.client), cache: new InMemoryCache() }).subscribe({ query: UPDATES }));
    expect((await anonymous.closed).code).toBe(4401);
    refused.stop();
  });

  it('urql with graphql-ws: a query over HTTP and a subscription over WebSocket, resumed by cursor', async () => {
    const { client: ws } = wsClient(t.url, { connectionParams: { token: t.headers.authorization!.slice('Bearer '.length) } });
    const client = new UrqlClient({
      url: `${t.url}/graphql`,
      fetchOptions: { headers: t.headers },
      exchanges: [
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
    const start = await newest();
    const first = await sendDirect('urql', 'one');
    const list = await client.query(LIST, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(list.error).toBeUndefined();
    expect(list.data.conversations.edges.map((e: any) => e.node.id)).toContain(first.conversationId);
    const results: any[] = [];
    const { unsubscribe } = client.subscription(UPDATES, { after: start, c: first.conversationId }).subscribe((r) => results.push(r));
    const second = await sendDirect('urql', 'two');
    await eventually(async () => results.length >= 2, 8000, 'two updates through urql');
    expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(results.map((r) => (r.data as Update).messageUpdated.messageId)).toEqual([first.id, second.id]);
    unsubscribe();
    await ws.dispose();
  });

  it('serves the schema in SDL at /graphql/schema.graphql to a read token, and 401 without one', async () => {
    const token = await t.token('codegen', 'read');
    const res = await fetch(`${t.url}/graphql/schema.graphql`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const sdl = await res.text();
    expect(sdl).toBe(printSchemaFile());
    expect(buildSchema(sdl).getType('Conversation')).toBeTruthy();
    const again = await fetch(`${t.url}/graphql/schema.graphql`, { headers: { authorization: `Bearer ${token}`, 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const anonymous = await fetch(`${t.url}/graphql/schema.graphql`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('GraphiQL opens with an Authorization header ready for a token, and a blank one leaves the session in charge', async () => {
    const { cookie } = await t.operator();
    const page = await (await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html', cookie } })).text();
    const options = JSON.parse(/<script id="graphiql-options" type="application\/json">(.*?)<\/script>/s.exec(page)![1]!);
    expect(JSON.parse(options.headers)).toEqual({ Authorization: 'Bearer ' });
    expect(options.shouldPersistHeaders).toBe(false);
    const blank = await t.gql('{ viewer { name } }', {}, { cookie, origin: t.url, authorization: 'Bearer ' });
    expect(blank.status).toBe(200);
    expect(blank.body.data.viewer.name).toBeTruthy();
  });
});

describe('with sign-in off', () => {
  it('serves the schema in SDL, and graphql-ws, to anyone', async () => {
    const t = await startTestApp(await testDatabases()[0]!.open(), { config: testConfig({ HATCH_AUTH: 'off' }) });
    try {
      const res = await fetch(`${t.url}/graphql/schema.graphql`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(printSchemaFile());
      const { client } = wsClient(t.url);
      expect((await wsExecute(client, '{ viewer { kind } }')).data).toEqual({ viewer: { kind: 'operator' } });
      await client.dispose();
    } finally {
      await t.close();
    }
  });
});
