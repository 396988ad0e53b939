import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.ts';
import { multipartParts, wsClient, wsSubscribe } from '../testing/graphql-ws.ts';
import { sseClient, subscribe, type Subscription } from '../testing/sse.ts';
import { eventually, metricValue, startTestApp, type TestApp } from '../testing/test-app.ts';
import { readEvents } from './legacy-sse-client.ts';

// Every live transport is meant to be a thin framing over one hub and one resume path. If that holds,
// the same scenario (resume from a cursor, replay, hand over to live, clean up) must come out the same
// through each of them, so the scenario is written once and only the wire differs per adapter.
const UPDATES = `subscription($after: String) { messageUpdated(after: $after) { cursor messageId action } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id conversationId } errors { code } } }`;
const MULTIPART = 'multipart/mixed;subscriptionSpec="1.0", application/json';
const ACTIVE = 'hatch_subscriptions_active';

interface Change {
  cursor: string;
  messageId: string;
  action: string;
}
interface Adapter {
  name: string;
  subscribe(t: TestApp, after: string): Promise<{ events: AsyncIterator<Change>; close(): Promise<void> }>;
}

/** The i-th arrival of a collector that only offers "wait until" (the repo's SSE, WebSocket and /api/events helpers). */
async function* arrivals<T>(list: () => T[], until: (enough: () => boolean) => Promise<unknown>): AsyncGenerator<T> {
  for (let i = 0; ; i++) {
    await until(() => list().length > i);
    yield list()[i]!;
  }
}
const fromSubscription = (sub: Subscription<{ messageUpdated: Change }>) =>
  arrivals(
    () => sub.events.map((e) => e.data.messageUpdated),
    (enough) => sub.until(enough, 10_000),
  );

const graphqlSse = (mode: 'distinct' | 'single'): Adapter => ({
  name: `GraphQL over SSE (${mode === 'distinct' ? 'distinct connections' : 'single connection'})`,
  async subscribe(t, after) {
    const client = sseClient(t, mode);
    const sub = subscribe<{ messageUpdated: Change }>(client, UPDATES, { after });
    return {
      events: fromSubscription(sub),
      close: async () => {
        sub.dispose();
        client.dispose();
      },
    };
  },
});

const adapters: Adapter[] = [
  graphqlSse('distinct'),
  graphqlSse('single'),
  {
    name: 'multipart HTTP (Apollo)',
    async subscribe(t, after) {
      const stop = new AbortController();
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: MULTIPART, ...t.headers },
        body: JSON.stringify({ query: UPDATES, variables: { after } }),
        signal: stop.signal,
      });
      const parts = multipartParts(res);
      // `{}` parts are heartbeats; an error part must fail the scenario, not be skipped.
      const events = (async function* () {
        for await (const part of parts) {
          if (part.payload?.errors || part.errors) throw new Error(`multipart error: ${JSON.stringify(part)}`);
          if (part.payload?.data?.messageUpdated) yield part.payload.data.messageUpdated as Change;
        }
      })();
      return {
        events,
        close: async () => {
          stop.abort();
          await parts.return(undefined).catch(() => {});
        },
      };
    },
  },
  {
    name: 'graphql-ws (WebSocket)',
    async subscribe(t, after) {
      const { client } = wsClient(t.url, { connectionParams: { authorization: t.headers.authorization } });
      const sub = wsSubscribe<{ messageUpdated: Change }>(client, UPDATES, { after });
      return {
        events: fromSubscription(sub),
        close: async () => {
          sub.dispose();
          await client.dispose();
        },
      };
    },
  },
  {
    name: 'the old /api/events stream',
    async subscribe(t, after) {
      const stream = await readEvents(`${t.url}/api/events`, { ...t.headers, 'last-event-id': after });
      if (stream.status !== 200) throw new Error(`/api/events refused: ${stream.status} ${JSON.stringify(stream.refusal)}`);
      // Translate the old framing into the GraphQL shape: the SSE id is the feed cursor.
      const changes = () => stream.events.filter((e) => e.data.type === 'message_update').map((e) => ({ cursor: e.id!, messageId: e.data.message_id, action: e.data.action }));
      return { events: arrivals(changes, (enough) => stream.until(enough, 10_000)), close: async () => stream.close() };
    },
  },
];

describe.each(testDatabases())('one resume path for every transport on the $name database', ({ open }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open());
  });
  afterAll(() => t?.close());

  const send = async (to: string, body: string) => {
    const sent = (await t.gql(SEND, { input: { to, body } })).body.data.sendMessage;
    expect(sent.errors).toEqual([]);
    return sent.message as { id: string; conversationId: string };
  };
  const newest = async () => (await t.db.query<{ max: string }>('SELECT COALESCE(MAX(seq), 0)::text AS max FROM message_changes'))[0]!.max;

  async function resumeScenario(adapter: Adapter, to: string) {
    const activeBefore = await metricValue(t, ACTIVE);
    expect(activeBefore).not.toBeNaN();
    const sent: { id: string; conversationId: string }[] = [];
    let after = '';
    for (let i = 1; i <= 5; i++) {
      sent.push(await send(to, `message ${i}`));
      if (i === 2) after = await newest();
    }
    const ours = new Set(sent.map((m) => m.id));
    const received: Change[] = [];
    const sub = await adapter.subscribe(t, after);
    try {
      // Other conversations' changes may pass by (the feed is global); only ours are judged.
      const readUntil = async (done: (c: Change) => boolean) => {
        for (;;) {
          const next = await sub.events.next();
          if (next.done) throw new Error(`the stream ended after ${received.length} of our changes`);
          if (ours.has(next.value.messageId)) received.push(next.value);
          if (done(next.value)) return;
        }
      };
      // 3..5 must be replayed before anything new is sent, so the live part below is really live.
      await readUntil(() => received.length >= 3);
      // Else the return to the starting value below would prove nothing.
      expect(await metricValue(t, ACTIVE)).toBe(activeBefore + 1);
      for (let i = 6; i <= 8; i++) {
        const m = await send(to, `message ${i}`);
        sent.push(m);
        ours.add(m.id);
      }
      // A change in another conversation, committed after ours: once it arrives, anything of ours
      // that was going to be delivered (a duplicate at the replay/live seam, say) has been.
      const marker = await send(`${to} (marker)`, 'after everything');
      await readUntil((c) => c.messageId === marker.id);
    } finally {
      await sub.close();
    }
    // Checked before the content, so a leak is reported even when what arrived is wrong too.
    await eventually(async () => (await metricValue(t, ACTIVE)) === activeBefore, 5000, `${ACTIVE} back to ${activeBefore} after ${adapter.name}`);

    expect(received.map((c) => [c.messageId, c.action])).toEqual(sent.slice(2).map((m) => [m.id, 'INSERT']));
    const cursors = received.map((c) => BigInt(c.cursor));
    for (let i = 1; i < cursors.length; i++) expect(cursors[i]! > cursors[i - 1]!, `cursor ${i}`).toBe(true);
    // And what arrived is exactly the server's own record of the conversation after the cursor.
    const recorded = await t.db.query<{ seq: string; message_id: string; action: string }>(
      'SELECT seq::text, message_id::text, action::text FROM message_changes WHERE conversation_id = $1 AND seq > $2 ORDER BY message_changes.seq',
      [sent[0]!.conversationId, after],
    );
    expect(received).toEqual(recorded.map((r) => ({ cursor: r.seq, messageId: r.message_id, action: r.action })));
  }

  it.each(adapters.map((a, i) => [a.name, a, i] as const))('%s: replays after the cursor, then goes live, each change once and in order', async (_name, adapter, i) => {
    await resumeScenario(adapter, `Resume transport ${i}`);
  });
});
