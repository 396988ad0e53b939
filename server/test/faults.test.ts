import { describe, expect, it } from 'vitest';
import type { Client } from 'graphql-sse';
import { createPostgresDatabase } from '../db/postgres.ts';
import { silentLog, testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe, type Subscription } from '../testing/sse.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';
import { canRunThrowawayPostgres, startThrowawayPostgres } from '../testing/throwaway-postgres.ts';

const UPDATES = `subscription($after: String) { messageUpdated(after: $after) { cursor messageId action } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }`;

interface Update {
  messageUpdated: { cursor: string; messageId: string; action: string };
}

/**
 * A subscriber as a careful client writes one: it remembers the last cursor it saw and, whenever
 * its stream ends or fails (or it is told to drop), subscribes again from that cursor.
 */
class ResumingSubscriber {
  readonly seen: Update['messageUpdated'][] = [];
  private sub: Subscription<Update> | undefined;
  private client: Client<boolean> | undefined;
  private stopped = false;
  reconnects = 0;

  constructor(
    private readonly t: TestApp,
    private readonly from: string,
  ) {
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    const after = this.seen.at(-1)?.cursor ?? this.from;
    this.client = sseClient(this.t, this.reconnects % 2 ? 'single' : 'distinct');
    const sub = subscribe<Update>(this.client, UPDATES, { after });
    this.sub = sub;
    const consumed = { n: 0 };
    const pump = setInterval(() => {
      for (; consumed.n < sub.events.length; consumed.n++) this.seen.push(sub.events[consumed.n]!.data.messageUpdated);
      if (sub.errors.length && this.sub === sub) this.drop();
    }, 5);
    sub.until(() => false, 3_600_000).catch(() => undefined);
    (this as unknown as { pump: NodeJS.Timeout }).pump = pump;
  }

  /** The connection breaks (as a phone's does); the client comes back from its last cursor. */
  drop(): void {
    clearInterval((this as unknown as { pump: NodeJS.Timeout }).pump);
    const sub = this.sub!;
    // Take whatever arrived before the break, then leave.
    const before = new Set(this.seen.map((e) => e.cursor));
    for (const e of sub.events) if (!before.has(e.data.messageUpdated.cursor) && BigInt(e.data.messageUpdated.cursor) > BigInt(this.seen.at(-1)?.cursor ?? this.from)) this.seen.push(e.data.messageUpdated);
    sub.dispose();
    this.client?.dispose();
    this.reconnects++;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearInterval((this as unknown as { pump: NodeJS.Timeout }).pump);
    this.sub?.dispose();
    this.client?.dispose();
  }
}

const postgres = testDatabases().find((k) => k.name === 'postgres');

describe.skipIf(!postgres)('faults on real Postgres', () => {
  it('loses nothing for 20 resuming subscribers when LISTEN is killed during a 1,000-message burst', async () => {
    const t = await startTestApp(await postgres!.open());
    try {
      const [{ start }] = (await t.db.query<{ start: string }>('SELECT COALESCE(MAX(seq), 0)::text AS start FROM message_changes')) as [{ start: string }];
      const subscribers = Array.from({ length: 20 }, () => new ResumingSubscriber(t, start));
      const ids: string[] = [];
      const queue = Array.from({ length: 1000 }, (_, i) => i);
      const writers = Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
            const res = await t.gql(SEND, { input: { to: `Burst ${i % 20}`, body: `burst ${i}`, idempotencyKey: `burst-${i}` } });
            ids.push(res.body.data.sendMessage.message.id);
            if (i === 300) {
              const [killed] = await t.db.query<{ n: number }>(
                `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`,
              );
              expect(killed!.n).toBe(1);
            }
            // Every subscriber drops its connection once, somewhere in the burst, and resumes.
            if (i % 50 === 25) subscribers[(i / 50) | 0]!.drop();
          }
        }),
      );
      await writers;
      const expected = (await t.db.query<{ seq: string; message_id: string }>(
        'SELECT seq::text, message_id FROM message_changes WHERE seq > $1 ORDER BY message_changes.seq',
        [start],
      )).map((r) => r.seq);
      expect(expected).toHaveLength(1000);
      await eventually(async () => subscribers.every((s) => s.seen.length >= 1000), 30_000, 'every subscriber to have every change');
      await new Promise((r) => setTimeout(r, 300));
      for (const s of subscribers) {
        expect(s.seen.map((e) => e.cursor)).toEqual(expected);
        expect(s.reconnects).toBeGreaterThanOrEqual(1);
      }
      console.log(`LISTEN killed mid-burst: 20 subscribers × 1,000 changes, ${subscribers.reduce((n, s) => n + s.reconnects, 0)} reconnects, 0 lost, 0 doubled`);
      subscribers.forEach((s) => s.stop());
    } finally {
      await t.close();
    }
  }, 120_000);

  it.skipIf(!canRunThrowawayPostgres())('recovers by itself when Postgres restarts under load, losing no change for resuming clients', async () => {
    const pg = await startThrowawayPostgres();
    const t = await startTestApp(createPostgresDatabase(pg.url, silentLog));
    try {
      const subscribers = Array.from({ length: 5 }, () => new ResumingSubscriber(t, '0'));
      let notReady = 0;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const res = await fetch(`${t.url}/ready`).catch(() => undefined);
          if (res && res.status === 503) notReady++;
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const sent: string[] = [];
      let failures = 0;
      let restart: Promise<void> | undefined;
      for (let i = 0; i < 300; i++) {
        // A client that retries with the same idempotency key until the server takes it.
        for (;;) {
          const res = await t.gql(SEND, { input: { to: `Restart ${i % 7}`, body: `during restart ${i}`, idempotencyKey: `restart-${i}` } }).catch(() => undefined);
          const id = res?.body?.data?.sendMessage?.message?.id;
          if (id) {
            sent.push(id);
            break;
          }
          failures++;
          await new Promise((r) => setTimeout(r, 100));
        }
        // Postgres restarts while the sends go on.
        if (i === 100) restart = pg.restart();
      }
      await restart;
      polling = false;
      await poller;
      await eventually(async () => (await fetch(`${t.url}/ready`)).status === 200, 15_000, 'the server to be ready again');
      const expected = (await t.db.query<{ seq: string }>(`SELECT seq::text FROM message_changes WHERE action = 'INSERT' ORDER BY message_changes.seq`)).map((r) => r.seq);
      expect(expected).toHaveLength(300);
      await eventually(async () => subscribers.every((s) => s.seen.filter((e) => e.action === 'INSERT').length >= 300), 30_000, 'every subscriber to catch up');
      for (const s of subscribers) {
        const inserts = s.seen.filter((e) => e.action === 'INSERT').map((e) => e.cursor);
        expect(inserts).toEqual(expected);
        expect(new Set(s.seen.map((e) => e.cursor)).size).toBe(s.seen.length);
      }
      expect(notReady).toBeGreaterThan(0);
      console.log(`Postgres restarted under load: /ready said not ready ${notReady} times, ${failures} sends retried, 300 sent, 0 changes lost`);
      subscribers.forEach((s) => s.stop());
    } finally {
      await t.close();
      pg.destroy();
    }
  }, 180_000);
});
