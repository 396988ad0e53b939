// The cost of presence beside message fan-out: operators typing in one conversation (the worst
// case: every change goes to every one of them, each carrying everyone's state) while the
// subscribers of the message step receive their stream. Sessions are made straight in the
// database: a hundred sign-ins from one address would meet the sign-in rate limit.
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-sse';
import pg from 'pg';
import { DUMMY_HASH } from '../modules/access/passwords.ts';
import { newSecret, secretHash } from '../modules/access/secrets.ts';
import { sleep, summarize } from './stats.ts';

const REPORT = 'mutation($id: ID!, $s: PresenceReport!) { reportPresence(conversationId: $id, state: $s) { errors { code } } }';
const WATCH = 'subscription($id: ID!) { presence(conversationId: $id) { viewers { operatorId state } } }';

export interface PresenceLoad {
  operators: number;
  /** Presence reports the operators made per second (each one a NOTIFY every replica hears). */
  reportsPerSecond: number;
  /** Presence events delivered per second, all watchers together. */
  eventsPerSecond: number;
  refused: number;
  /** From a report leaving the client to its change reaching a watcher, ms. */
  latency: { n: number; p50: number; p99: number; max: number };
  stop(): Promise<void>;
}

interface Operator {
  id: string;
  headers: Record<string, string>;
}

async function makeOperators(databaseUrl: string, n: number): Promise<Operator[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const made: Operator[] = [];
    for (let i = 0; i < n; i++) {
      const [row] = (
        await client.query<{ id: string }>(`INSERT INTO operators (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id`, [
          `bench-typist-${randomUUID()}@example.com`,
          `Typist ${i}`,
          DUMMY_HASH,
        ])
      ).rows;
      const secret = newSecret();
      await client.query(`INSERT INTO sessions (id, operator_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [secretHash(secret), row!.id]);
      made.push({ id: row!.id, headers: { cookie: `hatch_session=${secret}` } });
    }
    return made;
  } finally {
    await client.end();
  }
}

/**
 * Starts `n` operators in conversation `conversationId`: each watches its presence and, like the
 * page while someone types, reports TYPING every 3 s; every 12 s each leaves and comes back, so
 * changes keep flowing (a steady typist alone changes nothing). One more operator, the probe,
 * alternates TYPING and LEFT every second and times how soon a watcher sees it.
 */
export async function startPresenceLoad(url: string, databaseUrl: string, conversationId: string, n: number): Promise<PresenceLoad> {
  const people = await makeOperators(databaseUrl, n + 1);
  const probe = people.pop()!;
  const origin = new URL(url).origin;
  let reports = 0;
  let refused = 0;
  let events = 0;
  const latencies: number[] = [];
  let stopped = false;
  const started = performance.now();

  const report = async (who: Operator, state: string) => {
    reports++;
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { ...who.headers, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ query: REPORT, variables: { id: conversationId, s: state } }),
    }).catch(() => undefined);
    const json = (await res?.json().catch(() => undefined)) as { data?: { reportPresence: { errors: unknown[] } } } | undefined;
    if (!json?.data || json.data.reportPresence.errors.length) refused++;
  };

  // The probe's pending change: what it reported and when; the first watcher to see it times it.
  let pending: { state: 'TYPING' | 'LEFT'; at: number } | undefined;
  const watchers = people.map((who) => {
    const client = createClient({ url: `${url}/graphql`, headers: { ...who.headers, origin }, retryAttempts: 3 });
    const dispose = client.subscribe<{ presence: { viewers: { operatorId: string; state: string }[] } }>(
      { query: WATCH, variables: { id: conversationId } },
      {
        next: (r) => {
          events++;
          if (!pending || !r.data) return;
          const seen = r.data.presence.viewers.find((v) => v.operatorId === probe.id);
          if ((pending.state === 'LEFT' && !seen) || (pending.state === 'TYPING' && seen?.state === 'TYPING')) {
            latencies.push(performance.now() - pending.at);
            pending = undefined;
          }
        },
        error: () => {},
        complete: () => {},
      },
    );
    return { client, dispose };
  });

  const loops = people.map(async (who, i) => {
    await sleep((i * 3000) / people.length);
    for (let tick = 0; !stopped; tick++) {
      await report(who, tick % 4 === 3 ? 'LEFT' : 'TYPING');
      await sleep(3000);
    }
  });
  const probing = (async () => {
    for (let tick = 0; !stopped; tick++) {
      const state = tick % 2 === 0 ? 'TYPING' : 'LEFT';
      pending = { state, at: performance.now() };
      await report(probe, state);
      await sleep(1000);
    }
  })();

  return {
    operators: n,
    get reportsPerSecond() {
      return reports / ((performance.now() - started) / 1000);
    },
    get eventsPerSecond() {
      return events / ((performance.now() - started) / 1000);
    },
    get refused() {
      return refused;
    },
    get latency() {
      const { n: count, p50, p99, max } = summarize(latencies);
      return { n: count, p50, p99, max };
    },
    async stop() {
      stopped = true;
      await Promise.all([...loops, probing]);
      for (const w of watchers) {
        w.dispose();
        w.client.dispose();
      }
    },
  };
}
