// The reference Hatch is measured against: what a small hand-written server does for the same job,
// with no GraphQL. The same tables and triggers (Hatch's migrations, on a database of its own), one
// LISTEN, one read of the feed per notification and one serialization per change, and the same
// bytes written to every open stream in GraphQL over SSE's distinct-connections framing (the
// official client reads it as it reads Hatch). POST /send is the load's way in: one INSERT, like
// the write behind sendMessage, then the feed's numbering (sql/change_feed.sql), as Hatch does.
// It answers WebSockets too (graphql-transport-ws framing, on the `ws` library as Hatch's is, with
// one ping timer for every socket), as the floor Hatch's WebSocket transport is measured against.
// Plain JavaScript so it runs under `node` with no loader, as Hatch's build does.
import { createServer } from 'node:http';
import pg from 'pg';
import { WebSocketServer } from 'ws';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
const streams = new Set();
/** Each open WebSocket subscription: its socket, and its operation's id. */
const sockets = new Map();
const CONVERSATION = '00000000-0000-4000-8000-000000000001';

await pool.query(
  `INSERT INTO conversations (id, participant_a, participant_b, ours) VALUES ($1, 'Bench', 'Operator', 'Operator') ON CONFLICT DO NOTHING`,
  [CONVERSATION],
);
await listener.connect();
let last = BigInt((await pool.query('SELECT "position"::text AS p FROM feed_head')).rows[0].p);
let reading = Promise.resolve();
listener.on('notification', ({ payload }) => {
  const upTo = BigInt(payload);
  // One read at a time, in order: each notification's range follows the last one read.
  reading = reading.then(async () => {
    if (upTo <= last) return;
    const { rows } = await pool.query(
      `SELECT message_id AS "messageId", action, row->>'body' AS body FROM message_changes WHERE seq > $1 AND seq <= $2 ORDER BY seq`,
      [last.toString(), upTo.toString()],
    );
    last = upTo;
    for (const { messageId, action, body } of rows) {
      const data = { messageUpdated: { messageId, action, message: action === 'DELETE' ? null : { body } } };
      const json = JSON.stringify({ data });
      const frame = `event: next\ndata: ${json}\n\n`;
      for (const res of streams) res.write(frame);
      for (const [ws, id] of sockets) ws.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${json}}`);
    }
  });
});
await listener.query('LISTEN hatch_feed');

// One timer for every stream's keep-alive comment.
setInterval(() => {
  for (const res of streams) res.write(':\n\n');
  for (const ws of sockets.keys()) ws.ping();
}, 12_000).unref();

const body = (req) =>
  new Promise((resolve) => {
    let text = '';
    req.on('data', (d) => (text += d)).on('end', () => resolve(text));
  });

const server = createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/ready') return res.end('ok');
  if (req.method === 'POST' && req.url === '/send') {
    const { body: text } = JSON.parse(await body(req));
    const { rows } = await pool.query(
      `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) VALUES ($1, 'Operator', 'Bench', $2, 'OUTBOUND', 'INTERNAL', 'STORED') RETURNING id`,
      [CONVERSATION, text],
    );
    await pool.query('SELECT hatch_number_feed()');
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ id: rows[0].id }));
  }
  if (req.method === 'POST' && req.url === '/graphql') {
    await body(req);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    streams.add(res);
    req.socket.on('close', () => streams.delete(res));
    return;
  }
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_init') ws.send('{"type":"connection_ack"}');
      else if (message.type === 'subscribe') sockets.set(ws, message.id);
      else if (message.type === 'complete') sockets.delete(ws);
    });
    ws.on('close', () => sockets.delete(ws));
  });
});
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.listen(Number(process.env.PORT), '127.0.0.1');
