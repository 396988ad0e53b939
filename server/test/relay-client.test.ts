import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createOperationDescriptor, Environment, fetchQuery, getSelector, Network, RecordSource, Store, type ConcreteRequest, type ReaderFragment } from 'relay-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSchemaFile } from '../schema/print-schema.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Relay itself, as a consumer's app would use it: the Relay compiler (which refuses a
// `@refetchable` fragment unless the schema follows Global Object Identification) writes the
// refetch queries, and relay-runtime runs them against the real server and reads each object back
// from its normalized store by id.
const FRAGMENTS = `
graphql\`
  fragment ConversationCard_conversation on Conversation @refetchable(queryName: "ConversationRefetchQuery") {
    id
    participants
    lastMessage { id body }
  }
\`;
graphql\`
  fragment MessageCard_message on Message @refetchable(queryName: "MessageRefetchQuery") {
    id
    body
    conversationId
  }
\`;
`;

interface Artifacts {
  ConversationRefetchQuery: ConcreteRequest;
  ConversationCard_conversation: ReaderFragment;
  MessageRefetchQuery: ConcreteRequest;
  MessageCard_message: ReaderFragment;
}

async function compile(dir: string): Promise<Artifacts> {
  mkdirSync(path.join(dir, 'src'));
  mkdirSync(path.join(dir, 'generated'));
  writeFileSync(path.join(dir, 'schema.graphql'), printSchemaFile());
  writeFileSync(path.join(dir, 'src', 'cards.js'), FRAGMENTS);
  const config = { src: './src', schema: './schema.graphql', language: 'javascript', eagerEsModules: true, artifactDirectory: './generated' };
  writeFileSync(path.join(dir, 'relay.config.json'), JSON.stringify(config));
  // The compiler is a native binary shipped inside the npm package (no download, no build step).
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/relay-compiler/cli.js'), 'relay.config.json'], { cwd: dir });
  const load = async (name: string) => (await import(pathToFileURL(path.join(dir, 'generated', `${name}.graphql.js`)).href)).default;
  return {
    ConversationRefetchQuery: await load('ConversationRefetchQuery'),
    ConversationCard_conversation: await load('ConversationCard_conversation'),
    MessageRefetchQuery: await load('MessageRefetchQuery'),
    MessageCard_message: await load('MessageCard_message'),
  };
}

describe.each(testDatabases())('a Relay client refetching by id on the $name database', ({ open }) => {
  let t: TestApp;
  let dir: string;
  let relay: Artifacts;
  beforeAll(async () => {
    t = await startTestApp(await open());
    dir = mkdtempSync(path.join(tmpdir(), 'hatch-relay-'));
    relay = await compile(dir);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const environment = () =>
    new Environment({
      network: Network.create(async (params, variables) => {
        const res = await fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...t.headers },
          body: JSON.stringify({ query: params.text, variables }),
        });
        return res.json();
      }),
      store: new Store(new RecordSource()),
    });

  /** Runs a generated refetch query and reads its fragment back from Relay's store. */
  const refetch = async (query: ConcreteRequest, fragment: ReaderFragment, id: string) => {
    const env = environment();
    await fetchQuery(env, query, { id }).toPromise();
    const root = env.lookup(createOperationDescriptor(query, { id }).fragment).data as { node: unknown };
    const data = env.lookup(getSelector(fragment, root.node) as never).data;
    return { data, record: env.getStore().getSource().get(id) };
  };

  it('refetches a Conversation and a Message with the queries the Relay compiler writes', async () => {
    const sent = await t.gql(`mutation { sendMessage(input: { from: "Alice", to: "Bob", body: "refetch me with Relay" }) { message { id conversationId } } }`);
    const { id, conversationId } = sent.body.data.sendMessage.message;

    const conversation = await refetch(relay.ConversationRefetchQuery, relay.ConversationCard_conversation, conversationId);
    expect(conversation.data).toEqual({ id: conversationId, participants: ['Alice', 'Bob'], lastMessage: { id, body: 'refetch me with Relay' } });
    expect(conversation.record?.__typename).toBe('Conversation');

    const message = await refetch(relay.MessageRefetchQuery, relay.MessageCard_message, id);
    expect(message.data).toEqual({ id, body: 'refetch me with Relay', conversationId });
    expect(message.record?.__typename).toBe('Message');
  });
});
