import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parser as promql } from '@prometheus-io/lezer-promql';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createLogger } from '../logger.ts';
import { embeddedDatabase } from '../testing/databases.ts';
import { startServerProcess } from '../testing/server-process.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { eventually, freePort, startTestApp, type TestApp } from '../testing/test-app.ts';
import { signTwilioRequest } from '../testing/twilio-standin.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEND = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }`;
const WEBHOOK_TOKEN = 'operations-webhooks';

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string }[];
}

/** Scrapes and parses with a Prometheus text-format parser: what a scraper would read. */
async function scrape(url: string, headers: Record<string, string> = {}): Promise<Map<string, Family>> {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Map((parsePrometheusTextFormat(await res.text()) as Family[]).map((f) => [f.name, f]));
}

const value = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}) =>
  Number(
    families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? Number.NaN,
  );

describe('what an operator watches: request logs and metrics', () => {
  let t: TestApp;
  const lines: Record<string, any>[] = [];
  let raw = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw += chunk;
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });

  beforeAll(async () => {
    t = await startTestApp(await embeddedDatabase.open(), { log: createLogger('info', sink), sms: { simulatorToken: WEBHOOK_TOKEN } });
  });
  afterAll(() => t?.close());

  const inbound = (params: Record<string, string>) =>
    fetch(`${t.url}/twilio/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(WEBHOOK_TOKEN, `${t.url}/twilio/inbound`, params) },
      body: new URLSearchParams(params),
    });

  it('returns the caller\'s request id, or makes one, and every log line of that request carries it', async () => {
    const given = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { ...t.headers, 'content-type': 'application/json', 'x-request-id': 'trace-4f2a.9' },
      body: JSON.stringify({ query: SEND, variables: { input: { to: '+15557001001', body: 'hello' } }, operationName: 'Send' }),
    });
    expect(given.headers.get('x-request-id')).toBe('trace-4f2a.9');
    await given.json();
    await eventually(async () => lines.some((l) => l.requestId === 'trace-4f2a.9' && l.msg === 'request'), 2000, 'the request line');
    const line = lines.find((l) => l.requestId === 'trace-4f2a.9' && l.msg === 'request')!;
    expect(line).toMatchObject({ method: 'POST', route: 'graphql', operation: 'Send', status: 200, level: 30 });
    expect(line.caller).toMatch(/^token:tests /);
    expect(typeof line.ms).toBe('number');

    // Ids that are not sane (spaces, too long) are replaced, not echoed into logs.
    for (const bad of ['has spaces in it', 'x'.repeat(200), '<script>']) {
      const res = await fetch(`${t.url}/health`, { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const made = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: t.headers });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries the id into what modules log while serving the request (an inbound SMS webhook)', async () => {
    const res = await inbound({ MessageSid: 'SMops000000000000000000000000000001', From: '+15557001002', To: '+15005550006', Body: 'STOP' });
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id')!;
    await eventually(async () => lines.filter((l) => l.requestId === id).length >= 2, 2000, 'the module line and the request line');
    const mine = lines.filter((l) => l.requestId === id);
    expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['number opted out', 'request']));
  });

  it('keeps message bodies, full phone numbers, passwords and tokens out of the log at info', async () => {
    const secretBody = 'the vault code is 4417';
    const { cookie, password } = await t.operator('logs@example.com', 'a long operator password');
    const token = await t.token('log check', 'send');
    await t.gql(SEND, { input: { to: '+15557003003', body: secretBody } }, { authorization: `Bearer ${token}` });
    await t.gql(SEND, { input: { to: 'Front desk', body: secretBody } }, { cookie });
    await inbound({ MessageSid: 'SMops000000000000000000000000000002', From: '+15557004004', To: '+15005550006', Body: secretBody });
    // A token sent where it does not belong (a query string) is not logged either.
    await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}&token=${token}`);
    // A failed sign-in with the password in the body.
    await fetch(`${t.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'logs@example.com', password: `${password}x` }) });
    await new Promise((r) => setTimeout(r, 200));

    expect(raw).not.toContain(secretBody);
    for (const number of ['+15557003003', '15557003003', '+15557004004', '15557004004', '+15557001002']) expect(raw).not.toContain(number);
    expect(raw).not.toContain(password);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(token.slice(6, 30));
    expect(raw).not.toContain(cookie.split('=')[1]!);
    // Lines are JSON, each a request or a named event, and the sign-ins show who.
    expect(lines.filter((l) => l.msg === 'request').map((l) => l.caller)).toEqual(expect.arrayContaining(['operator:logs', 'token:log check']));
  });

  it('serves Prometheus text at /metrics to signed-in callers only, with every figure the runbook needs', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const readToken = await t.token('prometheus', 'read');

    // Some traffic to count: a subscriber, a message it receives, an error, and a refused query.
    const sub = subscribe(sseClient(t, 'distinct'), `subscription { messageUpdated { messageId } }`);
    await eventually(async () => value(await scrape(`${t.url}/metrics`, { authorization: `Bearer ${readToken}` }), 'hatch_subscriptions_active') >= 1, 5000, 'the subscription');
    await t.gql(SEND, { input: { to: 'Metrics', body: 'count me' } });
    await sub.until((ev) => ev.length >= 1, 5000);
    await t.gql('{ conversation(id: 1) { id } }');
    await t.gql('{ nope }');

    const families = await scrape(`${t.url}/metrics`, { authorization: `Bearer ${readToken}` });
    const expected: Record<string, string> = {
      hatch_http_requests_total: 'COUNTER',
      hatch_http_request_duration_seconds: 'HISTOGRAM',
      hatch_graphql_errors_total: 'COUNTER',
      hatch_event_streams_open: 'GAUGE',
      hatch_subscriptions_active: 'GAUGE',
      hatch_subscription_executions: 'GAUGE',
      hatch_events_delivered_total: 'COUNTER',
      hatch_listen_reconnects_total: 'COUNTER',
      hatch_listen_up: 'GAUGE',
      hatch_feed_lag_seconds: 'HISTOGRAM',
      hatch_sms_outbox_depth: 'GAUGE',
      hatch_sms_outbox_oldest_seconds: 'GAUGE',
      hatch_sms_sent_total: 'COUNTER',
      hatch_sms_failed_total: 'COUNTER',
      hatch_pg_pool_total: 'GAUGE',
      hatch_pg_pool_idle: 'GAUGE',
      hatch_pg_pool_waiting: 'GAUGE',
      hatch_pg_notification_queue_usage: 'GAUGE',
      hatch_process_resident_memory_bytes: 'GAUGE',
      hatch_process_cpu_seconds_total: 'COUNTER',
      hatch_nodejs_eventloop_lag_p99_seconds: 'GAUGE',
    };
    for (const [name, type] of Object.entries(expected)) expect(families.get(name)?.type, name).toBe(type);

    expect(value(families, 'hatch_http_requests_total', { route: 'graphql', operation: 'Send', status: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(value(families, 'hatch_event_streams_open')).toBeGreaterThanOrEqual(1);
    expect(value(families, 'hatch_events_delivered_total')).toBeGreaterThanOrEqual(1);
    expect(value(families, 'hatch_listen_up')).toBe(1);
    expect(Number(families.get('hatch_feed_lag_seconds')!.metrics[0]!.count)).toBeGreaterThanOrEqual(1);
    expect(value(families, 'hatch_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBeGreaterThanOrEqual(1);
    expect(value(families, 'hatch_pg_notification_queue_usage')).toBeGreaterThanOrEqual(0);
    sub.dispose();
    await eventually(async () => value(await scrape(`${t.url}/metrics`, { authorization: `Bearer ${readToken}` }), 'hatch_subscriptions_active') === 0, 5000, 'the subscription to end');
  });

  it('names only metrics that exist, in the shipped dashboard and alert rules', async () => {
    const families = await scrape(`${t.url}/metrics`, t.headers);
    const known = (name: string) => families.has(name) || families.has(name.replace(/_(bucket|sum|count)$/, ''));

    const rules = parseYaml(readFileSync(path.join(ROOT, 'deploy/prometheus-alerts.yaml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const alerts = rules.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(['HatchOutboxStuck', 'HatchListenDown', 'HatchNotificationQueueFilling']));
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'deploy/grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const exprs = [...alerts.map((a) => a.expr), ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((x) => x.expr))];
    expect(exprs.length).toBeGreaterThan(10);

    const named = new Set<string>();
    for (const expr of exprs) {
      const tree = promql.parse(expr.replace(/\$__rate_interval|\$__interval/g, '5m'));
      let error = false;
      tree.iterate({
        enter: (node) => {
          if (node.type.isError) error = true;
          if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') named.add(expr.slice(node.from, node.to));
        },
      });
      expect(error, `PromQL does not parse: ${expr}`).toBe(false);
    }
    expect(named.size).toBeGreaterThan(8);
    for (const name of named) expect(known(name), `${name} is not served at /metrics`).toBe(true);
  });
});

describe('metrics on their own loopback port (METRICS_PORT)', () => {
  it('serves them there without sign-in, while /metrics on the main port still asks for it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hatch-metrics-'));
    const metricsPort = await freePort();
    const server = await startServerProcess({ HATCH_DATA_DIR: dataDir, METRICS_PORT: String(metricsPort), HATCH_AUTH: 'on' });
    try {
      const families = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(families.get('hatch_listen_up')?.metrics[0]?.value).toBe('1');
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      // The process writes JSON lines when its output is not a terminal, one per request with its id.
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'from-the-proxy' }, body: '{"query":"{ __typename }"}' });
      expect(res.status).toBe(401);
      await eventually(async () => server.output().includes('from-the-proxy'), 2000, 'the request line');
      const line = server.output().split('\n').find((l) => l.includes('from-the-proxy'))!;
      expect(JSON.parse(line)).toMatchObject({ requestId: 'from-the-proxy', route: 'graphql', status: 401, msg: 'request' });
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
