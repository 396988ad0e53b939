import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabases, type DurableDatabase } from '../testing/databases.ts';
import { eventually, freePort, startTestApp, type TestApp } from '../testing/test-app.ts';

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/consumer');
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }`;

// examples/consumer, run as a consumer would run it (`node consumer.mjs` in its folder, its
// packages resolved from this checkout), against the real server, which is restarted under it.
describe('the example consumer (examples/consumer)', () => {
  let store: DurableDatabase | undefined;
  let t: TestApp | undefined;
  afterAll(async () => {
    await t?.close();
    await store?.drop();
  });

  it('lists, sends once with an idempotency key, follows messageUpdated and resumes after the server restarts', async () => {
    store = await testDatabases()[0]!.durable();
    const port = await freePort();
    t = await startTestApp(await store.connect(), {}, port);
    const token = await t.token('example consumer', 'send');
    const send = async (body: string) => (await t!.gql(SEND, { input: { to: 'Example', body } })).body.data.sendMessage.message.id as string;
    await send('already there');

    let output = '';
    const child = spawn(process.execPath, ['consumer.mjs', '--key', 'example-key-1', '--events', '3'], {
      cwd: EXAMPLE,
      env: { ...process.env, HATCH_URL: t.url, HATCH_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await eventually(async () => output.includes('following messageUpdated'), 20_000, `the example to subscribe:\n${output}`);
      expect(output).toMatch(/^conversations: 1$/m);
      const sent = /^sent (\S+) \(idempotency key example-key-1\)$/m.exec(output)![1]!;
      expect(output).toContain(`sent again with the same key: ${sent} (the same message; nothing sent twice)`);
      await eventually(async () => /^hatch_subscriptions_active 1$/m.test(await (await fetch(`${t!.url}/metrics`, { headers: t!.headers })).text()), 10_000, 'the subscription');
      const live = await send('live');
      await eventually(async () => output.includes(`INSERT ${live} `), 10_000, `the live event:\n${output}`);

      // The server goes away under the example and comes back on the same port and data.
      await t.close();
      t = undefined;
      await eventually(async () => output.includes('connection lost; resuming after cursor'), 10_000, `the example to notice:\n${output}`);
      t = await startTestApp(await store.connect(), {}, port);
      const missed = [await send('while reconnecting 1'), await send('while reconnecting 2')];
      expect(await exited).toBe(0);
      // Everything from when it subscribed, once, in order, across the restart.
      const events = [...output.matchAll(/^INSERT (\S+) cursor \d+/gm)].map((m) => m[1]);
      expect(events).toEqual([live, ...missed]);
    } finally {
      child.kill();
    }
  }, 90_000);
});
