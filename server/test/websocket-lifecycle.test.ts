import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDatabases } from '../testing/databases.ts';
import { wsClient, wsSubscribe } from '../testing/graphql-ws.ts';
import { startServerProcess } from '../testing/server-process.ts';
import { eventually, metricValue, startTightStreamsApp } from '../testing/test-app.ts';

// WebSockets at the edges of their life: the server stopping under them, and a reader that stops reading.
const UPDATES = `subscription { messageUpdated { cursor messageId action } }`;

describe('graceful shutdown of `npm start` with WebSockets open', () => {
  it('closes them with 1001 on SIGTERM and exits 0', async () => {
    const store = await testDatabases()[0]!.durable();
    const server = await startServerProcess({ ...store.env, DATABASE_URL: '', HATCH_AUTH: 'off', LOG_LEVEL: 'silent' });
    try {
      const { client, closed } = wsClient(server.url);
      const live = wsSubscribe(client, UPDATES);
      await eventually(async () => /^hatch_websockets_open 1$/m.test(await (await fetch(`${server.url}/metrics`)).text()), 10_000, 'the connection');
      const started = Date.now();
      const exited = server.stop('SIGTERM');
      expect((await closed).code).toBe(1001);
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
      live.dispose();
    } finally {
      await server.stop('SIGKILL');
      await store.drop();
    }
  }, 60_000);
});

describe('a WebSocket reader that falls behind', () => {
  it('is closed (1013) once its queue holds more than the buffer allows, and its subscription ends', async () => {
    const t = await startTightStreamsApp();
    try {
      const count = () => metricValue(t, 'hatch_subscriptions_active');
      // A raw client that subscribes and then stops reading its socket (a hung program).
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql/ws`, 'graphql-transport-ws');
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: t.headers.authorization } }));
      await new Promise((resolve) => ws.once('message', resolve));
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { messageUpdated { cursor message { body } } }' } }));
      await eventually(async () => (await count()) === 1, 10_000, 'the subscription');
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      // About 8 MB of events: more than the kernel's socket buffers take for a reader that reads nothing.
      await t.db.query(`INSERT INTO conversations (id, participant_a, participant_b) VALUES ('3a92e7c6-1951-0954-f1a5-632808a295fe', 'Alice', 'Bob')`);
      await t.db.query(
        `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status)
         SELECT '3a92e7c6-1951-0954-f1a5-632808a295fe', 'Alice', 'Bob', repeat('x', 1500) || i, 'OUTBOUND', 'INTERNAL', 'STORED'
           FROM generate_series(1, 5000) i`,
      );
      await eventually(async () => (await count()) === 0, 30_000, 'the slow reader to be cut off');
      // Reading again, it finds what was sent before the cut, then the close.
      const closed = new Promise<number>((resolve) => ws.once('close', resolve));
      (ws as unknown as { _socket: { resume(): void } })._socket.resume();
      expect(await closed).toBe(1013);
    } finally {
      await t.close();
    }
  }, 60_000);
});
