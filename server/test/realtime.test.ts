import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-sse';
import { conversationId } from '../modules/conversations/conversation-id.ts';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe, type SseMode, type Subscription } from '../testing/sse.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const UPDATES = /* GraphQL */ `
  subscription($conversationId: ID) {
    messageUpdated(conversationId: $conversationId) {
      action cursor conversationId messageId occurredAt
      message { id body status channel providerSid }
    }
  }`;

interface Update {
  messageUpdated: {
    action: string;
    cursor: string;
    conversationId: string;
    messageId: string;
    message: { id: string; body: string; status: string; providerSid: string | null } | null;
  };
}

const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id conversationId } errors { code } } }`;

describe.each(testDatabases())('messageUpdated over graphql-sse on the $name database', ({ name, open }) => {
  let t: TestApp;
  const clients: Client<boolean>[] = [];
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(async () => {
    clients.forEach((c) => c.dispose());
    await t?.close();
  });

  const client = (mode: SseMode) => {
    const c = sseClient(t, mode);
    clients.push(c);
    return c;
  };
  const send = async (input: Record<string, unknown>) => {
    const { body } = await t.gql(SEND, { input });
    expect(body.data.sendMessage.errors).toEqual([]);
    return body.data.sendMessage.message as { id: string; conversationId: string };
  };
  /** Subscribing is asynchronous on the server: send a marker until every subscription has seen one. */
  const warmUp = async (subs: Subscription<Update>[], to = 'Warm-up') => {
    for (let i = 0; i < 50; i++) {
      const m = await send({ to, body: `warm-up ${i}` });
      try {
        await Promise.all(subs.map((s) => s.until((ev) => ev.some((e) => e.messageUpdated.messageId === m.id), 300)));
        return;
      } catch {
        // not every subscription was in place yet; try again
      }
    }
    throw new Error('subscriptions never became live');
  };

  for (const mode of ['distinct', 'single'] as const) {
    describe(`${mode} connection mode`, () => {
      it('delivers the INSERT of a sent message within 1 s', async () => {
        const sub = subscribe<Update>(client(mode), UPDATES);
        await warmUp([sub]);
        const sentAt = performance.now();
        const m = await send({ to: `Latency ${mode}`, body: 'ping' });
        const [ev] = (await sub.until((ev) => ev.some((e) => e.messageUpdated.messageId === m.id), 1000)).filter(
          (e) => e.messageUpdated.messageId === m.id,
        );
        const arrived = sub.events.find((e) => e.data.messageUpdated.messageId === m.id)!.at;
        expect(ev!.messageUpdated).toMatchObject({ action: 'INSERT', conversationId: m.conversationId, message: { body: 'ping', status: 'STORED' } });
        expect(arrived - sentAt).toBeLessThan(1000);
        console.log(`[${mode}] send → INSERT event: ${(arrived - sentAt).toFixed(1)} ms`);
        sub.dispose();
      });

      it('delivers SMS status changes as UPDATE events, in order', async () => {
        const sub = subscribe<Update>(client(mode), UPDATES);
        await warmUp([sub]);
        const m = await send({ to: '+15557654321', body: 'status please' });
        const mine = (ev: Update[]) => ev.filter((e) => e.messageUpdated.messageId === m.id).map((e) => e.messageUpdated);
        const events = mine(await sub.until((ev) => mine(ev).some((e) => e.message?.status === 'DELIVERED'), 5000));
        expect(events.map((e) => `${e.action}:${e.message?.status}`)).toEqual([
          'INSERT:QUEUED',
          'UPDATE:SENDING',
          'UPDATE:SENT',
          'UPDATE:DELIVERED',
        ]);
        expect(events[1]!.message!.providerSid).toMatch(/^SM/);
        const cursors = events.map((e) => BigInt(e.cursor));
        expect(cursors).toEqual([...cursors].sort((a, b) => (a < b ? -1 : 1)));
        sub.dispose();
      });

      it('filters by conversation', async () => {
        const wanted = conversationId('Operator', `Filter ${mode}`);
        await send({ to: `Filter ${mode}`, body: 'create the conversation' });
        const filtered = subscribe<Update>(client(mode), UPDATES, { conversationId: wanted });
        const all = subscribe<Update>(client(mode), UPDATES);
        await warmUp([all]);
        // The filtered one sees only its own conversation, so warm it up there. (Its subscription
        // looks the conversation up first, so it may go live after the unfiltered one.)
        await warmUp([filtered], `Filter ${mode}`);
        await send({ to: 'Someone else', body: 'not for the filtered one' });
        const last = await send({ to: `Filter ${mode}`, body: 'second' });
        await all.until((ev) => ev.some((e) => e.messageUpdated.messageId === last.id));
        await filtered.until((ev) => ev.some((e) => e.messageUpdated.messageId === last.id));
        expect(filtered.events.every((e) => e.data.messageUpdated.conversationId === wanted)).toBe(true);
        expect(all.events.some((e) => e.data.messageUpdated.conversationId !== wanted)).toBe(true);
        filtered.dispose();
        all.dispose();
      });

      it('rejects a subscription to an unknown or malformed conversation with an error', async () => {
        const unknown = subscribe<Update>(client(mode), UPDATES, { conversationId: '00000000-0000-0000-0000-000000000000' });
        await expect(unknown.until(() => false, 3000)).rejects.toThrow(/No conversation with id/);
        const malformed = subscribe<Update>(client(mode), UPDATES, { conversationId: 'nope' });
        await expect(malformed.until(() => false, 3000)).rejects.toThrow(/not a valid conversation id/);
        const invalid = subscribe<Update>(client(mode), 'subscription { messageUpdated { nope } }');
        await expect(invalid.until(() => false, 3000)).rejects.toThrow(/Cannot query field/);
      });
    });
  }

  // The embedded database listens in-process: there is no connection to cut.
  if (name === 'postgres') it('keeps delivering after the LISTEN connection is cut, catching up what it missed', async () => {
    const sub = subscribe<Update>(client('distinct'), UPDATES);
    await warmUp([sub]);
    const [killed] = await t.db.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`,
    );
    expect(killed!.n).toBe(1);
    // Written while nobody listens: its NOTIFY is lost, the change is not.
    const missed = await send({ to: 'While cut', body: 'missed notification' });
    await sub.until((ev) => ev.some((e) => e.messageUpdated.messageId === missed.id), 10_000);
    await expect.poll(async () => (await fetch(`${t.url}/ready`)).status, { timeout: 10_000 }).toBe(200);
    const after = await send({ to: 'While cut', body: 'after reconnecting' });
    await sub.until((ev) => ev.some((e) => e.messageUpdated.messageId === after.id), 2000);
    sub.dispose();
  });

  it('gives 50 concurrent subscribers every event of a 200-message burst, none missing or doubled, in order', async () => {
    const subs = Array.from({ length: 50 }, (_, i) => subscribe<Update>(client(i % 2 ? 'single' : 'distinct'), UPDATES));
    await warmUp(subs);
    const [{ max }] = (await t.db.query<{ max: string }>('SELECT COALESCE(MAX(seq), 0)::text AS max FROM message_changes')) as [{ max: string }];
    const start = BigInt(max);

    // Count what the bridge reads from the change feed: each change once, whatever the subscriber count.
    let changesRead = 0;
    const query = t.db.query.bind(t.db);
    t.db.query = (async (sql: string, params?: unknown[]) => {
      const rows = await query(sql, params);
      if (sql.includes('FROM "message_changes" WHERE "seq" >')) changesRead += rows.length;
      return rows;
    }) as typeof t.db.query;

    const ids: string[] = [];
    const queue = Array.from({ length: 200 }, (_, i) => i);
    const startedAt = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          ids.push((await send({ to: `Burst ${i % 10}`, body: `burst ${i}` })).id);
        }
      }),
    );
    const burst = (ev: Update[]) => ev.filter((e) => BigInt(e.messageUpdated.cursor) > start);
    await Promise.all(subs.map((s) => s.until((ev) => burst(ev).length >= 200, 20_000)));
    const elapsed = performance.now() - startedAt;

    for (const s of subs) {
      const got = burst(s.events.map((e) => e.data)).map((e) => e.messageUpdated);
      expect(got).toHaveLength(200);
      expect(new Set(got.map((e) => e.messageId))).toEqual(new Set(ids));
      expect(got.every((e) => e.action === 'INSERT')).toBe(true);
      const cursors = got.map((e) => BigInt(e.cursor));
      for (let i = 1; i < cursors.length; i++) expect(cursors[i]! > cursors[i - 1]!).toBe(true);
      expect(s.errors).toEqual([]);
    }
    t.db.query = query;
    expect(changesRead).toBe(200);
    console.log(`200 sends → all 50 subscribers had every event after ${elapsed.toFixed(0)} ms`);
    subs.forEach((s) => s.dispose());
  });
});
