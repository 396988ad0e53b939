import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrator.ts';
import { createApiToken } from '../modules/access/api-tokens.service.ts';
import { silentLog, testDatabases, type DurableDatabase } from '../testing/databases.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { wsClient, wsSubscribe, type WsClient } from '../testing/graphql-ws.ts';
import { sseClient, subscribe, type SseMode, type Subscription } from '../testing/sse.ts';
import { eventually, freePort } from '../testing/test-app.ts';
import { signTwilioRequest, startTwilioStandin, type TwilioStandin } from '../testing/twilio-standin.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ACCOUNT = `AC${'5c'.repeat(16)}`;
const TWILIO_TOKEN = 'scale-out-twilio-token';
const OUR_NUMBER = '+15005550006';
const UPDATES = `subscription($after: String) { messageUpdated(after: $after) { cursor messageId action } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }`;
const NGINX = '/usr/sbin/nginx';

interface Update {
  messageUpdated: { cursor: string; messageId: string; action: string };
}

const postgres = testDatabases().find((k) => k.name === 'postgres');

/** Replicas of Hatch as separate processes on one Postgres database, sending through a Twilio stand-in. */
async function replicas(store: DurableDatabase, standin: TwilioStandin, names: string[], extra: Record<string, string> = {}) {
  return Promise.all(
    names.map((name) =>
      startServerProcess({
        ...store.env,
        HATCH_REPLICA_ID: name,
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        TWILIO_PHONE_NUMBER: OUR_NUMBER,
        TWILIO_API_URL: standin.url,
        TWILIO_MAX_MPS: '1000',
        SMS_RATE_LIMIT: '0',
        LOG_LEVEL: 'warn',
        ...extra,
      }),
    ),
  );
}

async function tokenFor(store: DurableDatabase): Promise<Record<string, string>> {
  const db = await store.connect();
  try {
    await migrate(db, silentLog);
    const made = await createApiToken(db, { name: `scale-out ${Date.now()}`, scope: 'send', createdById: null });
    if (!made.ok) throw new Error('no token');
    return { authorization: `Bearer ${made.token}` };
  } finally {
    await db.close();
  }
}

async function gql(url: string, headers: Record<string, string>, query: string, variables?: unknown) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

describe.skipIf(!postgres)('several replicas on one Postgres', () => {
  let store: DurableDatabase;
  let standin: TwilioStandin;
  let auth: Record<string, string>;
  beforeAll(async () => {
    store = await postgres!.durable();
    standin = await startTwilioStandin({ accountSid: ACCOUNT, authToken: TWILIO_TOKEN });
    auth = await tokenFor(store);
  }, 60_000);
  afterAll(async () => {
    await standin?.close();
    await store?.drop();
  });

  it('gives every subscriber on every replica every event once, and hands each SMS over once', async () => {
    const servers = await replicas(store, standin, ['r1', 'r2', 'r3']);
    const subs: Subscription<Update>[] = [];
    try {
      const start = '0';
      for (const s of servers) for (const mode of ['distinct', 'single'] as SseMode[]) subs.push(subscribe<Update>(sseClient({ url: s.url, headers: auth }, mode), UPDATES, { after: start }));
      standin.clearRecords();
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const server = servers[i % 3]!;
        const to = i % 2 ? `+1555010${String(i).padStart(4, '0')}` : `Desk ${i % 5}`;
        const result = await gql(server.url, auth, SEND, { input: { to, body: `replica ${i}` } });
        ids.push(result.data.sendMessage.message.id);
      }
      const inserts = (ev: Update[]) => ev.filter((e) => e.messageUpdated.action === 'INSERT' && ids.includes(e.messageUpdated.messageId));
      await Promise.all(subs.map((s) => s.until((ev) => inserts(ev).length >= 60, 30_000)));
      for (const s of subs) {
        const got = inserts(s.events.map((e) => e.data)).map((e) => e.messageUpdated.messageId);
        expect(got).toEqual(ids);
        const cursors = s.events.map((e) => e.data.messageUpdated.cursor);
        expect(new Set(cursors).size).toBe(cursors.length);
      }
      // 30 SMS, each handed to Twilio once, by whichever replica claimed it.
      await eventually(async () => standin.requests.filter((r) => r.responseStatus === 201).length >= 30, 20_000, 'the SMS to be handed over');
      await new Promise((r) => setTimeout(r, 1000));
      const creates = standin.requests.filter((r) => !r.replayed && r.params.To);
      expect(creates).toHaveLength(30);
      expect(new Set(creates.map((r) => r.params.Body)).size).toBe(30);
      console.log(`3 replicas: 60 sends → ${subs.length} subscribers × 60 events, 0 lost, 0 doubled; 30 SMS handed over once each`);
    } finally {
      subs.forEach((s) => s.dispose());
      await Promise.all(servers.map((s) => s.stop()));
    }
  }, 180_000);

  describe.skipIf(!existsSync(NGINX) && !process.env.CI)('behind nginx with deploy/nginx.conf', () => {
    let proxy: { url: string; stop(): Promise<void> };
    let servers: ServerProcess[];
    beforeAll(async () => {
      const port = await freePort();
      servers = await replicas(store, standin, ['hatch1', 'hatch2'], { TRUST_PROXY: 'true', PUBLIC_URL: `http://127.0.0.1:${port}`, SHUTDOWN_TIMEOUT: '5s' });
      proxy = await startNginx(port, servers);
    }, 120_000);
    afterAll(async () => {
      await proxy?.stop();
      await Promise.all((servers ?? []).map((s) => s.stop()));
    });

    it('streams events through the proxy at once, in both SSE modes and over WebSocket, single-connection ones to the replica that holds them', async () => {
      const subs: Subscription<Update>[] = [];
      const sockets: WsClient[] = [];
      try {
        // Several of each: round-robin puts them on both replicas.
        for (let i = 0; i < 4; i++) for (const mode of ['distinct', 'single'] as SseMode[]) subs.push(subscribe<Update>(sseClient({ url: proxy.url, headers: auth }, mode), UPDATES));
        for (let i = 0; i < 2; i++) {
          sockets.push(wsClient(proxy.url, { connectionParams: { authorization: auth.authorization } }));
          subs.push(wsSubscribe<Update>(sockets.at(-1)!.client, UPDATES));
        }
        const tokens = new Set<string>();
        for (let i = 0; i < 4; i++) tokens.add((await (await fetch(`${proxy.url}/graphql/stream`, { method: 'PUT', headers: auth })).text()).split('.')[0]!);
        expect([...tokens].sort()).toEqual(['hatch1', 'hatch2']);
        // Live: keep sending until every subscription has an event (they open asynchronously).
        await eventually(async () => {
          await gql(proxy.url, auth, SEND, { input: { to: 'Through nginx', body: 'warm-up' } });
          return subs.every((s) => s.events.length > 0);
        }, 20_000, 'every subscription through the proxy');
        const latencies: number[] = [];
        for (let i = 0; i < 5; i++) {
          const sentAt = performance.now();
          const { data } = await gql(proxy.url, auth, SEND, { input: { to: 'Through nginx', body: `timed ${i}` } });
          const id = data.sendMessage.message.id;
          await Promise.all(subs.map((s) => s.until((ev) => ev.some((e) => e.messageUpdated.messageId === id), 1000)));
          latencies.push(performance.now() - sentAt);
        }
        console.log(`through nginx: send → event at all ${subs.length} subscribers, max ${Math.max(...latencies).toFixed(0)} ms`);
        expect(Math.max(...latencies)).toBeLessThan(1000);
      } finally {
        subs.forEach((s) => s.dispose());
        await Promise.all(sockets.map((s) => s.client.dispose()));
      }
    });

    it('lets Twilio\'s signature through the proxy (TRUST_PROXY)', async () => {
      const params = { MessageSid: `SM${'9'.repeat(32)}`, From: '+15550109876', To: OUR_NUMBER, Body: 'via nginx' };
      const url = `${proxy.url}/twilio/inbound`;
      const post = (signedFor: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(TWILIO_TOKEN, signedFor, params) }, body: new URLSearchParams(params) });
      expect((await post(url)).status).toBe(200);
      expect((await post(`https://elsewhere.example/twilio/inbound`)).status).toBe(403);
    });

    it('loses no event for resuming clients and no SMS when a replica is restarted during a burst', async () => {
      const subs: Subscription<Update>[] = [];
      const seen: Map<number, Update['messageUpdated'][]> = new Map();
      const start = await (async () => {
        const db = await store.connect();
        try {
          return (await db.query<{ start: string }>('SELECT COALESCE(MAX(seq), 0)::text AS start FROM message_changes'))[0]!.start;
        } finally {
          await db.close();
        }
      })();
      // Clients that resume from their last cursor whenever their stream ends (here: when the
      // replica they were on shuts down and ends its streams).
      const open = (i: number) => {
        const events = seen.get(i) ?? [];
        seen.set(i, events);
        const sub = subscribe<Update>(sseClient({ url: proxy.url, headers: auth }, i % 2 ? 'single' : 'distinct'), UPDATES, { after: events.at(-1)?.cursor ?? start });
        subs.push(sub);
        let taken = 0;
        const pump = setInterval(() => {
          for (; taken < sub.events.length; taken++) events.push(sub.events[taken]!.data.messageUpdated);
        }, 5);
        sub.until(() => false, 600_000).catch(() => {
          clearInterval(pump);
          for (; taken < sub.events.length; taken++) events.push(sub.events[taken]!.data.messageUpdated);
          if (!stopping) setTimeout(() => open(i), 100);
        });
      };
      let stopping = false;
      for (let i = 0; i < 6; i++) open(i);
      try {
        standin.clearRecords();
        const ids: string[] = [];
        let restart: Promise<void> | undefined;
        for (let i = 0; i < 120; i++) {
          for (;;) {
            const res = await gql(proxy.url, auth, SEND, { input: { to: i % 3 ? `Rolling ${i % 4}` : `+1555020${String(i).padStart(4, '0')}`, body: `rolling ${i}`, idempotencyKey: `rolling-${i}` } }).catch(() => undefined);
            const id = res?.data?.sendMessage?.message?.id;
            if (id) {
              ids.push(id);
              break;
            }
            await new Promise((r) => setTimeout(r, 100));
          }
          if (i === 40) {
            restart = (async () => {
              const stoppedAt = performance.now();
              const code = await servers[0]!.stop('SIGTERM');
              expect(code, `replica hatch1 exited ${code} on SIGTERM; its log:\n${servers[0]!.output().slice(-3000)}`).toBe(0);
              console.log(`replica hatch1 stopped on SIGTERM in ${(performance.now() - stoppedAt).toFixed(0)} ms`);
              servers[0] = await startServerProcess(servers[0]!.env, servers[0]!.port);
            })();
          }
        }
        await restart;
        const expected = await (async () => {
          const db = await store.connect();
          try {
            return (await db.query<{ seq: string }>(`SELECT seq::text FROM message_changes WHERE seq > $1 ORDER BY message_changes.seq`, [start])).map((r) => r.seq);
          } finally {
            await db.close();
          }
        })();
        await eventually(async () => [...seen.values()].every((events) => events.length >= expected.length), 30_000, 'every client to catch up');
        stopping = true;
        subs.forEach((s) => s.dispose());
        for (const events of seen.values()) expect(events.map((e) => e.cursor)).toEqual(expected);
        // The clients on the stopped replica had their streams ended, and came back through the proxy.
        expect(subs.length).toBeGreaterThan(6);
        await eventually(async () => standin.requests.filter((r) => r.responseStatus === 201 && !r.replayed).length >= 40, 20_000, 'the SMS');
        const creates = standin.requests.filter((r) => !r.replayed && r.params.To);
        expect(new Set(creates.map((r) => r.params.Body)).size).toBe(creates.length);
        expect(creates).toHaveLength(40);
        console.log(`rolling restart during 120 sends: 6 resuming clients (${subs.length - 6} reconnects) × ${expected.length} changes, 0 lost, 0 doubled; 40 SMS once each`);
      } finally {
        // Also when a check above failed: no client may keep reconnecting after the test.
        stopping = true;
        subs.forEach((s) => s.dispose());
      }
    }, 180_000);
  });
});

/** nginx with the shipped deploy/nginx.conf, its upstreams pointed at these replicas and its files in a folder of its own. */
async function startNginx(port: number, servers: ServerProcess[]): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hatch-nginx-'));
  mkdirSync(path.join(dir, 'logs'));
  let conf = readFileSync(path.join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
  conf = conf.replaceAll('hatch1:4000', `127.0.0.1:${servers[0]!.port}`).replaceAll('hatch2:4000', `127.0.0.1:${servers[1]!.port}`);
  conf = conf.replace('listen 8080;', `listen 127.0.0.1:${port};`);
  conf = conf.replace('worker_processes auto;', `worker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log warn;`);
  conf = conf.replace('http {', `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;`);
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  execFileSync(NGINX, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'pipe' });
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await eventually(() => fetch(`${url}/health`).then((r) => r.ok, () => false), 10_000, 'nginx');
  return {
    url,
    async stop() {
      // Graceful first (SIGQUIT waits for open connections), then at once: a test that failed with
      // streams still open must not hold its clean-up until the hook's timeout.
      const exited = child.exitCode === null ? new Promise((r) => child.once('exit', r)) : Promise.resolve();
      child.kill('SIGQUIT');
      const fast = setTimeout(() => child.kill('SIGTERM'), 5000);
      await exited;
      clearTimeout(fast);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
