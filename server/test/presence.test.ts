import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { PRESENCE_REPORTS_PER_MINUTE } from '../modules/presence/presence.ts';

// Presence: who is viewing or typing in a conversation, live, gone when they leave or go quiet,
// across replicas, and never stored.
const REPORT = 'mutation($id: ID!, $s: PresenceReport!) { reportPresence(conversationId: $id, state: $s) { errors { field code retryAfterSeconds } } }';
const WATCH = 'subscription($id: ID!) { presence(conversationId: $id) { conversationId viewers { operatorId name state since } } }';
const TIMES = { viewingMs: 1_500, typingMs: 400, sweepMs: 50 };

interface Seen {
  presence: { conversationId: string; viewers: { name: string; state: string }[] };
}
const who = (events: Seen[]) => events.at(-1)?.presence.viewers.map((v) => `${v.name}:${v.state}`).join(',') ?? '';

describe.each(testDatabases())('presence on the $name database', ({ name, open, durable }) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let bob: Record<string, string>;
  let id: string;
  beforeAll(async () => {
    t = await startTestApp(await open(), { presenceTimes: TIMES });
    ana = { cookie: (await t.operator('ana.presence@example.com', undefined, 'Ana')).cookie, origin: t.url };
    bob = { cookie: (await t.operator('bob.presence@example.com', undefined, 'Bob')).cookie, origin: t.url };
    id = (await t.gql('mutation { sendMessage(input: { to: "Fox Presence", body: "hi" }) { message { conversationId } } }')).body.data.sendMessage.message.conversationId;
  });
  afterAll(() => t?.close());

  const report = async (as: Record<string, string>, s: string, conversationId = id) => (await t.gql(REPORT, { id: conversationId, s }, as)).body;

  it('shows a colleague viewing, typing, back to viewing, and gone when they leave or go quiet; a heartbeat alone sends nothing', async () => {
    const watch = subscribe<Seen>(sseClient({ url: t.url, headers: bob }, 'distinct'), WATCH, { id });
    try {
      await watch.until((e) => e.length === 1);
      expect(watch.events[0]!.data.presence).toEqual({ conversationId: id, viewers: [] });
      expect((await report(ana, 'VIEWING')).data.reportPresence.errors).toEqual([]);
      await watch.until((e) => who(e) === 'Ana:VIEWING');
      const before = watch.events.length;
      await report(ana, 'VIEWING');
      await report(ana, 'TYPING');
      await watch.until((e) => who(e) === 'Ana:TYPING');
      // The heartbeat between changed nothing a viewer sees.
      expect(watch.events.length).toBe(before + 1);
      // Typing falls back to viewing when the keystrokes stop.
      await watch.until((e) => who(e) === 'Ana:VIEWING', 3000);
      await report(ana, 'LEFT');
      await watch.until((e) => who(e) === '');
      // A viewer who closes the tab sends nothing: gone when the heartbeat is overdue.
      await report(ana, 'VIEWING');
      await watch.until((e) => who(e) === 'Ana:VIEWING');
      const quiet = performance.now();
      await watch.until((e) => who(e) === '', 5000);
      expect(performance.now() - quiet).toBeGreaterThanOrEqual(TIMES.viewingMs - 200);
      expect(watch.errors).toEqual([]);
    } finally {
      watch.dispose();
    }
  });

  it('is not stored and not in the change feed', async () => {
    const counts = async () =>
      (
        await t.db.query<Record<string, string>>(
          `SELECT (SELECT position FROM feed_head)::text AS head, (SELECT count(*) FROM message_changes)::text AS m, (SELECT count(*) FROM conversation_changes)::text AS c,
                  (SELECT max(updated_at) FROM conversations)::text AS touched`,
        )
      )[0];
    const before = await counts();
    await report(ana, 'VIEWING');
    await report(bob, 'TYPING');
    await report(ana, 'LEFT');
    await report(bob, 'LEFT');
    expect(await counts()).toEqual(before);
  });

  it('refuses a bad or unknown conversation, a program, and an operator over the limit, and reports nothing for them', async () => {
    const watch = subscribe<Seen>(sseClient({ url: t.url, headers: ana }, 'distinct'), WATCH, { id });
    try {
      await watch.until((e) => e.length === 1);
      expect((await report(bob, 'VIEWING', 'nope')).data.reportPresence.errors).toEqual([{ field: 'conversationId', code: 'INVALID_ID', retryAfterSeconds: null }]);
      expect((await report(bob, 'VIEWING', '00000000-0000-0000-0000-00000000abcd')).data.reportPresence.errors).toEqual([{ field: 'conversationId', code: 'NOT_FOUND', retryAfterSeconds: null }]);
      expect((await report(bob, 'SHOUTING')).errors[0]).toMatchObject({ message: expect.stringContaining('SHOUTING') });
      // A program has no presence: it is not "viewing".
      expect((await report(t.headers, 'VIEWING')).errors[0].extensions.code).toBe('FORBIDDEN');
      const reader = { authorization: `Bearer ${await t.token('presence reader', 'read')}` };
      expect((await report(reader, 'VIEWING')).errors[0].extensions.code).toBe('FORBIDDEN');

      const cleo = { cookie: (await t.operator(`cleo.presence.${name}@example.com`, undefined, 'Cleo')).cookie, origin: t.url };
      for (let i = 0; i < PRESENCE_REPORTS_PER_MINUTE - 1; i++) expect((await report(cleo, 'VIEWING')).data.reportPresence.errors).toEqual([]);
      await report(cleo, 'LEFT');
      await new Promise((r) => setTimeout(r, 200));
      const seen = watch.events.length;
      const refused = (await report(cleo, 'TYPING')).data.reportPresence.errors;
      expect(refused).toEqual([{ field: null, code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) }]);
      expect(refused[0].retryAfterSeconds).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));
      // The refused report reached nobody; Ana only ever saw Cleo come and go.
      expect(watch.events.length).toBe(seen);
      expect(watch.events.map((e) => who([e.data]))).toEqual(['', 'Cleo:VIEWING', '']);

      const bad = subscribe<Seen>(sseClient({ url: t.url, headers: ana }, 'distinct'), WATCH, { id: '00000000-0000-0000-0000-00000000abcd' });
      await expect(bad.until(() => false, 3000)).rejects.toThrow(/NOT_FOUND/);
      bad.dispose();
    } finally {
      watch.dispose();
    }
  });

  it.runIf(name === 'postgres')('crosses replicas: typing on one is seen on the other', async () => {
    const store = await durable();
    try {
      const one = await startTestApp(await store.connect(), { presenceTimes: TIMES });
      const two = await startTestApp(await store.connect(), { presenceTimes: TIMES });
      try {
        const dana = { cookie: (await one.operator('dana.presence@example.com', undefined, 'Dana')).cookie, origin: one.url };
        const eve = { cookie: (await two.operator('eve.presence@example.com', undefined, 'Eve')).cookie, origin: two.url };
        const conversation = (await one.gql('mutation { sendMessage(input: { to: "Twin Presence", body: "hi" }) { message { conversationId } } }')).body.data.sendMessage.message.conversationId;
        const watch = subscribe<Seen>(sseClient({ url: two.url, headers: eve }, 'distinct'), WATCH, { id: conversation });
        try {
          await watch.until((e) => e.length === 1);
          const sent = performance.now();
          expect((await one.gql(REPORT, { id: conversation, s: 'TYPING' }, dana)).body.data.reportPresence.errors).toEqual([]);
          await watch.until((e) => who(e) === 'Dana:TYPING');
          const crossed = watch.events.at(-1)!.at - sent;
          expect(crossed).toBeLessThan(2000);
          await one.gql(REPORT, { id: conversation, s: 'LEFT' }, dana);
          await watch.until((e) => who(e) === '');
        } finally {
          watch.dispose();
        }
      } finally {
        await two.close();
        await one.close();
      }
    } finally {
      await store.drop();
    }
  });
});
