import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Database } from '../db/database.ts';
import { createEmbeddedDatabase } from '../db/embedded.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const SUBSCRIPTION = JSON.stringify({ query: 'subscription { messageUpdated { messageId } }' });
const MULTIPART = 'multipart/mixed;subscriptionSpec="1.0", application/json';
const TOKEN_LOOKUP_MS = 300;

/** The database, with API-token lookups held back by TOKEN_LOOKUP_MS while `slow()` says so. */
function slowTokenLookups(db: Database, slow: () => boolean): Database {
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'query') {
        const query = target.query.bind(target) as (...args: unknown[]) => Promise<unknown>;
        return async (sql: string, ...rest: unknown[]) => {
          if (slow() && sql.includes('"token_hash"')) await new Promise((r) => setTimeout(r, TOKEN_LOOKUP_MS));
          return query(sql, ...rest);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// One limit on live connections per credential, over every streaming transport together, and the
// stream tickets the old /api/events takes from a browser's EventSource.
describe('live connections per credential', () => {
  let t: TestApp;
  const open: { cancel(): void }[] = [];
  /** While set, looking up an API token takes TOKEN_LOOKUP_MS (a busy database). */
  let slowTokens = false;
  beforeAll(async () => {
    t = await startTestApp(slowTokenLookups(await createEmbeddedDatabase(undefined), () => slowTokens), { streamLimits: { maxStreamsPerCredential: 3 } });
  });
  afterAll(async () => {
    for (const o of open) o.cancel();
    await t?.close();
  });

  /** Opens one stream of each kind; its status, and a way to close it. */
  const kinds: Record<string, (headers: Record<string, string>) => Promise<Response>> = {
    distinct: (h) => fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...h }, body: SUBSCRIPTION }),
    multipart: (h) => fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: MULTIPART, ...h }, body: SUBSCRIPTION }),
    legacy: (h) => fetch(`${t.url}/api/events`, { headers: { accept: 'text/event-stream', ...h } }),
  };
  const hold = async (kind: string, headers: Record<string, string>) => {
    const res = await kinds[kind]!({ ...headers });
    open.push({ cancel: () => res.body?.cancel().catch(() => {}) });
    return res;
  };
  const websocket = (headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws');
      ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: headers })));
      ws.on('message', (m) => {
        if (JSON.parse(String(m)).type === 'connection_ack') {
          open.push({ cancel: () => ws.close() });
          resolve(0);
        }
      });
      ws.once('close', (code) => resolve(code));
    });

  it('counts SSE, multipart, /api/events and WebSocket connections of one token together', async () => {
    const headers = { authorization: `Bearer ${await t.token('streams', 'read')}` };
    expect((await hold('distinct', headers)).status).toBe(200);
    expect((await hold('multipart', headers)).status).toBe(200);
    expect((await hold('legacy', headers)).status).toBe(200);
    for (const kind of Object.keys(kinds)) {
      const refused = await kinds[kind]!(headers);
      expect(refused.status, kind).toBe(429);
      expect(await refused.text(), kind).toContain('TOO_MANY_STREAMS');
    }
    expect(await websocket(headers)).not.toBe(0);
    // Another credential is not affected.
    const other = { authorization: `Bearer ${await t.token('other streams', 'read')}` };
    expect((await hold('distinct', other)).status).toBe(200);
    expect(await websocket(other)).toBe(0);
  });

  it('gives back the place of a WebSocket that closes while its credentials are being checked', async () => {
    const token = `Bearer ${await t.token('gone before acknowledged', 'read')}`;
    slowTokens = true;
    try {
      for (let i = 0; i < 3; i++) {
        const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws');
        await new Promise((resolve) => ws.once('open', resolve));
        ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: token } }));
        // Gone while the server looks the token up.
        await new Promise((r) => setTimeout(r, 50));
        ws.terminate();
      }
      await new Promise((r) => setTimeout(r, TOKEN_LOOKUP_MS + 200));
    } finally {
      slowTokens = false;
    }
    // All three of the token's places are free.
    for (let i = 0; i < 3; i++) expect(await websocket({ authorization: token })).toBe(0);
  });

  it('opens /api/events with a single-use, short-lived ticket (EventSource cannot send a token)', async () => {
    const headers = { authorization: `Bearer ${await t.token('ticket program', 'read')}` };
    const asked = await fetch(`${t.url}/api/events/ticket`, { method: 'POST', headers });
    expect(asked.status).toBe(200);
    const { ticket, expires_in } = await asked.json();
    expect(ticket).toMatch(/^hatch_ticket_/);
    expect(expires_in).toBe(60);
    // Only the hash is kept.
    expect(JSON.stringify(await t.db.query('SELECT * FROM stream_tickets'))).not.toContain(ticket);
    const first = await fetch(`${t.url}/api/events?ticket=${encodeURIComponent(ticket)}`, { headers: { accept: 'text/event-stream' } });
    expect(first.status).toBe(200);
    open.push({ cancel: () => first.body?.cancel().catch(() => {}) });
    const reader = first.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('connected');
    // Used once: the same ticket again is refused, as is one never given.
    const again = await fetch(`${t.url}/api/events?ticket=${encodeURIComponent(ticket)}`);
    expect(again.status).toBe(401);
    expect((await fetch(`${t.url}/api/events?ticket=hatch_ticket_made_up`)).status).toBe(401);
    // An expired ticket, and one whose token was revoked since, are refused too.
    const late = (await (await fetch(`${t.url}/api/events/ticket`, { method: 'POST', headers })).json()).ticket;
    await t.db.query(`UPDATE stream_tickets SET expires_at = now() - interval '1 second'`);
    expect((await fetch(`${t.url}/api/events?ticket=${encodeURIComponent(late)}`)).status).toBe(401);
    const revokedToken = await t.token('revoked ticket program', 'read');
    const orphan = (await (await fetch(`${t.url}/api/events/ticket`, { method: 'POST', headers: { authorization: `Bearer ${revokedToken}` } })).json()).ticket;
    await t.db.query(`UPDATE api_tokens SET revoked_at = now() WHERE name = 'revoked ticket program'`);
    expect((await fetch(`${t.url}/api/events?ticket=${encodeURIComponent(orphan)}`)).status).toBe(401);
    // Nobody gets a ticket without a credential, nor with a session from another site.
    expect((await fetch(`${t.url}/api/events/ticket`, { method: 'POST' })).status).toBe(401);
    const { cookie } = await t.operator();
    expect((await fetch(`${t.url}/api/events/ticket`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' } })).status).toBe(403);
    expect((await fetch(`${t.url}/api/events/ticket`, { method: 'POST', headers: { cookie, origin: t.url } })).status).toBe(200);
  });
});
