// A program using Hatch's API the way a consumer would: with an API token, it lists conversations,
// sends a message with an idempotency key (twice, to show the second send returns the first
// message), then follows messageUpdated over graphql-ws and, when the connection drops, resumes
// from the last cursor it saw, so it misses nothing and sees nothing twice.
//
//   HATCH_URL=http://localhost:4000 HATCH_TOKEN=hatch_… node consumer.mjs [--to NAME] [--key KEY] [--events N]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';

const { values: args } = parseArgs({
  options: {
    to: { type: 'string', default: 'Example' },
    body: { type: 'string', default: 'Hello from the example consumer' },
    key: { type: 'string' },
    // Stop after this many live events (0: follow until interrupted).
    events: { type: 'string', default: '0' },
  },
});
const url = process.env.HATCH_URL ?? 'http://localhost:4000';
const token = process.env.HATCH_TOKEN;
if (!token) {
  console.error('Set HATCH_TOKEN to an API token (npm run token:create -- --name example --scope send).');
  process.exit(2);
}
const authorization = `Bearer ${token}`;

/** One query or mutation over plain HTTP: what `curl` would do. */
async function graphql(query, variables) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code ?? res.status}: ${body.errors[0].message}`);
  return body.data;
}

const list = await graphql(`{ conversations(first: 10) { edges { node { id participants lastMessage { body } } } } }`);
console.log(`conversations: ${list.conversations.edges.length}`);
for (const { node } of list.conversations.edges) console.log(`  ${node.id} ${node.participants.join(', ')}: ${JSON.stringify(node.lastMessage?.body ?? '')}`);

const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id conversationId status } errors { code message } }
}`;
const input = { to: args.to, body: args.body, idempotencyKey: args.key ?? `example-${randomUUID()}` };
const first = (await graphql(SEND, { input })).sendMessage;
if (first.errors.length) throw new Error(`${first.errors[0].code}: ${first.errors[0].message}`);
console.log(`sent ${first.message.id} (idempotency key ${input.idempotencyKey})`);
// A retry after a timeout is safe: the same key returns the same message and sends nothing.
const again = (await graphql(SEND, { input })).sendMessage;
console.log(`sent again with the same key: ${again.message.id}${again.message.id === first.message.id ? ' (the same message; nothing sent twice)' : ''}`);

const UPDATES = `subscription($after: String) { messageUpdated(after: $after) { action cursor messageId message { body status } } }`;
const WebSocketImpl = globalThis.WebSocket ?? (await import('ws')).default;
const wanted = Number(args.events);
let seen = 0;
let after = null;

// Each round opens a connection and subscribes from the last cursor; a dropped connection ends the
// round, and the next one replays what happened meanwhile. Credentials refused (4401, 4403) end it all.
console.log('following messageUpdated…');
for (let retry = 0; ; retry++) {
  const client = createClient({ url: `${url.replace(/^http/, 'ws')}/graphql/ws`, webSocketImpl: WebSocketImpl, connectionParams: { authorization }, retryAttempts: 0 });
  try {
    for await (const result of client.iterate({ query: UPDATES, variables: { after } })) {
      const error = result.errors?.[0];
      if (error?.extensions?.code === 'CURSOR_EXPIRED') {
        // Away longer than the server keeps changes: a real program reads the current state again.
        console.log('the cursor has expired; following from now');
        after = null;
        retry = -1;
        break;
      }
      if (error) throw new Error(`${error.extensions?.code}: ${error.message}`);
      const event = result.data.messageUpdated;
      after = event.cursor;
      retry = 0;
      console.log(`${event.action} ${event.messageId} cursor ${event.cursor} ${JSON.stringify(event.message?.body ?? null)} ${event.message?.status ?? ''}`);
      if (wanted && ++seen >= wanted) {
        await client.dispose();
        process.exit(0);
      }
    }
  } catch (err) {
    // graphql-ws rejects with the socket's close event when the connection ends, or its error
    // event when it could not connect; anything else is a bug here, not the network.
    const code = typeof err?.code === 'number' ? err.code : undefined;
    if (code === 4401 || code === 4403) {
      console.error(`the server refused these credentials (${code}: ${err.reason})`);
      process.exit(1);
    }
    if (code === undefined && err?.type !== 'error') throw err;
  } finally {
    await client.dispose();
  }
  if (retry < 0) continue;
  const wait = Math.min(500 * 2 ** retry, 10_000);
  console.log(`connection lost; resuming after cursor ${after ?? '(start)'} in ${wait} ms`);
  await new Promise((r) => setTimeout(r, wait));
}
