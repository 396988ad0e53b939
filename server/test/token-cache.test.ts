import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../modules/access/api-tokens.service.ts';
import { testDatabases } from '../testing/databases.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

// API tokens are remembered by each server so that a program's requests do not each cost a database
// round trip. What must hold: a revocation ends the token at once where it was made, at once
// elsewhere when the NOTIFY arrives, and within the cache's lifetime when that NOTIFY is lost.
const CACHE_MS = 1500;
const ASK = '{ __typename }';

describe.each(testDatabases())('API tokens remembered by the server on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { tokenCacheMs: CACHE_MS });
  });
  afterAll(() => t?.close());

  const asToken = (token: string) => t.gql(ASK, {}, { authorization: `Bearer ${token}` });

  it('remembers a token for the cache lifetime, then reads it again', async () => {
    const token = await t.token('remembered', 'read');
    expect((await asToken(token)).status).toBe(200);
    // Written while the token is remembered: the server does not see it (this is what caching means),
    // so a name change shows only once the entry is checked again.
    await t.db.query(`UPDATE api_tokens SET name = 'renamed' WHERE name = 'remembered'`);
    const seen = async () => (await t.gql('{ viewer { name } }', {}, { authorization: `Bearer ${token}` })).body.data?.viewer?.name;
    expect(await seen()).toBe('remembered');
    await eventually(async () => (await seen()) === 'renamed', CACHE_MS + 3000, 'the entry to be checked again');
  });

  it('ends a token revoked on this server at once', async () => {
    const token = await t.token('revoked here', 'read');
    expect((await asToken(token)).status).toBe(200);
    await revokeApiToken(t.db, { name: 'revoked here' });
    expect((await asToken(token)).status).toBe(401);
  });

  it('ends a token revoked by another process as soon as its notification arrives', async () => {
    const token = await t.token('revoked elsewhere', 'read');
    expect((await asToken(token)).status).toBe(200);
    // Another process: its own connection, the same UPDATE and NOTIFY a revocation makes.
    await t.db.withConnection(async (conn) => {
      const [row] = await conn.query<{ id: string }>(`UPDATE api_tokens SET revoked_at = now() WHERE name = 'revoked elsewhere' RETURNING id::text`);
      await conn.query(`SELECT pg_notify('access_revocations', $1)`, [JSON.stringify({ key: `token:${row!.id}` })]);
    });
    const began = Date.now();
    await eventually(async () => (await asToken(token)).status === 401, 1000, 'the token to stop working');
    expect(Date.now() - began).toBeLessThan(1000);
  });

  it('ends a token whose revocation notification was lost within the stated bound', async () => {
    const token = await t.token('notification lost', 'read');
    expect((await asToken(token)).status).toBe(200);
    // Revoked without the NOTIFY (as if the LISTEN connection had been down when it was sent).
    await t.db.withConnection((conn) => conn.query(`UPDATE api_tokens SET revoked_at = now() WHERE name = 'notification lost'`));
    const began = Date.now();
    expect((await asToken(token)).status).toBe(200);
    await eventually(async () => (await asToken(token)).status === 401, CACHE_MS + 2000, 'the remembered token to expire');
    expect(Date.now() - began).toBeLessThanOrEqual(CACHE_MS + 500);
  });
});
