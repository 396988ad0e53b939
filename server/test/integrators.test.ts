import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { BatchHttpLink } from '@apollo/client/link/batch-http';
import { batchRequests, GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

// What third-party GraphQL clients meet, as they are: argument errors with a code, refusals in the
// media type they asked for, batched requests. The HTTP layer and the schema; one database.
describe('what integrators meet', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await createEmbeddedDatabase(undefined));
  });
  afterAll(() => t?.close());

  it('answers every bad argument of the connection fields with BAD_USER_INPUT', async () => {
    const sent = await t.gql('mutation{sendMessage(input:{to:"Integrator Ann",body:"x"}){message{conversationId}}}');
    const c = sent.body.data.sendMessage.message.conversationId;
    const bad = [
      '{ conversations(after: "garbage") { edges { cursor } } }',
      '{ conversations(first: -1) { edges { cursor } } }',
      '{ conversations(first: 2, before: "x") { edges { cursor } } }',
      '{ conversations(last: -3) { edges { cursor } } }',
      `{ conversation(id: "${c}") { messages(first: -5) { edges { cursor } } } }`,
      `{ conversation(id: "${c}") { messages(last: 2, after: "x") { edges { cursor } } } }`,
      `{ conversation(id: "${c}") { messages(first: 2, after: "garbage") { edges { cursor } } } }`,
    ];
    for (const query of bad) {
      const { status, body } = await t.gql(query);
      expect(status, query).toBeLessThan(500);
      expect(body.errors?.[0]?.extensions?.code, `${query}: ${JSON.stringify(body.errors)}`).toBe('BAD_USER_INPUT');
    }
  });

  it('gives Apollo Client 4 its UNAUTHENTICATED as a GraphQL error, in the media type it asked for', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: `${t.url}/graphql`, headers: { authorization: 'Bearer hatch_wrong' } }), cache: new InMemoryCache() });
    const result = await client.query({ query: gql('{ viewer { kind } }'), fetchPolicy: 'no-cache', errorPolicy: 'all' });
    expect(CombinedGraphQLErrors.is(result.error), String(result.error)).toBe(true);
    expect((result.error as CombinedGraphQLErrors).errors[0]!.extensions?.code).toBe('UNAUTHENTICATED');
    // The raw exchange: 401, in the type preferred, with the challenge.
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json,application/json;q=0.9' },
      body: JSON.stringify({ query: '{ viewer { kind } }' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
    // A client that prefers plain JSON still gets it.
    const plain = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{"query":"{ viewer { kind } }"}' });
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it("accepts graphql-request's batchRequests, up to 10 operations, their costs counted together", async () => {
    const client = new GraphQLClient(`${t.url}/graphql`, { headers: t.headers });
    const results = await client.batchRequests([{ document: '{ viewer { kind } }' }, { document: '{ conversations(first: 1) { edges { cursor } } }' }]);
    expect(results[0]!.data).toEqual({ viewer: { kind: 'token' } });
    expect(results[1]!.data).toHaveProperty('conversations');
    // The standalone function, too.
    const again = await batchRequests(`${t.url}/graphql`, [{ document: '{ viewer { kind } }' }], t.headers);
    expect(again[0]!.data).toEqual({ viewer: { kind: 'token' } });

    const batch = (n: number, query = '{ viewer { kind } }') =>
      fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body: JSON.stringify(Array.from({ length: n }, () => ({ query }))) });
    expect((await batch(10)).status).toBe(200);
    const eleven = await batch(11);
    expect(eleven.status).toBeGreaterThanOrEqual(400);
    expect(eleven.status).toBeLessThan(500);
    // Each operation alone is within the node limit (100 + 100 × 50 = 5,100); three together are not.
    const heavy = '{ conversations(first: 100) { edges { node { messages(first: 50) { edges { cursor } } } } } }';
    const alone = await (await batch(1, heavy)).json();
    expect(alone[0].errors).toBeUndefined();
    const together = await (await batch(3, heavy)).json();
    expect(together.map((r: any) => r.errors?.[0]?.extensions?.code)).toContain('QUERY_TOO_COMPLEX');
  });

  it('answers a batch entry that is not an operation (null, a number, a list) with BAD_REQUEST for that entry, and runs the rest', async () => {
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body: '[null,{"query":"{ viewer { kind } }"},1,[]]' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.map((r: any) => r.errors?.[0]?.extensions?.code ?? r.data.viewer.kind)).toEqual(['BAD_REQUEST', 'token', 'BAD_REQUEST', 'BAD_REQUEST']);
  });

  it("accepts Apollo's BatchHttpLink: queries made together go as one request", async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const client = new ApolloClient({ link: new BatchHttpLink({ uri: `${t.url}/graphql`, headers: t.headers, batchMax: 10, batchInterval: 20, fetch: counting }), cache: new InMemoryCache() });
    const [a, b, c] = await Promise.all([
      client.query({ query: gql('query A { viewer { kind } }'), fetchPolicy: 'no-cache' }),
      client.query({ query: gql('query B { conversations(first: 1) { edges { cursor } } }'), fetchPolicy: 'no-cache' }),
      client.query({ query: gql('query C { viewer { name } }'), fetchPolicy: 'no-cache' }),
    ]);
    expect((a.data as any).viewer.kind).toBe('token');
    expect(b.data).toHaveProperty('conversations');
    expect((c.data as any).viewer.name).toMatch(/^tests /);
    expect(requests).toBe(1);
  });

  it('answers QUERY_TOO_COMPLEX with 400, as the other limits', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...t.headers },
      body: JSON.stringify({ query: '{ conversations(first: 100) { edges { node { messages(first: 100) { edges { node { id } } } } } } }' }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });
});
