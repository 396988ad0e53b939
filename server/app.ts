import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';
import type { AppConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { checkChangeFeedInstalled } from './db/checks.ts';
import { migrate } from './db/migrator.ts';
import { createGraphQLServer } from './http/graphql.ts';
import { createRouter } from './http/router.ts';
import { multipartHeartbeat, multipartSubscriptions } from './http/multipart/multipart.ts';
import { attachGraphQLWs } from './http/ws/graphql-ws.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { distinctStreams } from './http/sse/distinct.ts';
import { Heartbeat } from './http/sse/event-stream.ts';
import { SubscriptionHub } from './http/sse/hub.ts';
import { singleConnectionStreams } from './http/sse/single.ts';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './http/sse/transport.ts';
import { AccessWatch } from './modules/access/revocations.ts';
import { issueSetupLink } from './modules/access/setup-link.service.ts';
import { MessagesService } from './modules/messages/messages.service.ts';
import { FeedBridge } from './modules/realtime/feed-bridge.ts';
import { FeedRetention } from './modules/realtime/retention.ts';
import { createHatchPubSub } from './modules/realtime/pubsub.ts';
import { createSms, type SmsConfig } from './modules/sms/index.ts';

export interface AppDeps {
  db: Database;
  log: Logger;
  config: AppConfig;
  sms?: SmsConfig;
  /** The built web inbox to serve at `/`; defaults to web/dist. */
  webDir?: string;
  /** With the embedded database: the secret of the local admin route the commands use meanwhile. */
  localAdminSecret?: string;
  /** Limits of the event streams (tests make them small). */
  streamLimits?: Partial<StreamLimits>;
}

export interface App {
  /** The whole server as one fetch handler (what `server` runs). */
  fetch: (request: Request) => Response | Promise<Response>;
  /** A node:http server around `fetch`, not yet listening. */
  server: Server;
  /**
   * With sign-in on and no operator yet: the path of the one-time link that creates the first one
   * (`/setup#<secret>`), for the person starting the server.
   */
  setupPath?: string;
  /** The Prometheus registry (also served at /metrics). */
  metrics: Metrics;
  /**
   * Stops gracefully: /ready turns not-ready, no new connections are taken, event streams and
   * WebSockets end (so their clients reconnect, to another replica when there is one), in-flight
   * requests and SMS hand-offs finish, then LISTEN and the database close.
   */
  close(): Promise<void>;
}

/**
 * Builds the whole server without listening: migrates, checks the database, starts the change
 * feed bridge and the SMS outbox, and routes every request through one router. The caller listens
 * (server/main.ts, tests over a real socket) or calls `fetch` in-process.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { db, log, config } = deps;
  await migrate(db, log);
  await checkChangeFeedInstalled(db);

  const metrics = createMetrics();
  const pubsub = createHatchPubSub();
  const bridge = new FeedBridge(db, pubsub, log.child({ module: 'realtime' }), {
    lag: (seconds) => metrics.feedLag.observe(seconds),
    reconnected: () => metrics.listenReconnects.inc(),
  });
  await bridge.start();
  const retention = new FeedRetention(db, config.changeRetentionMs, log.child({ module: 'retention' }));
  retention.start();
  const watch = new AccessWatch(db, log.child({ module: 'access' }));
  await watch.start();

  const sms = await createSms(
    db,
    { ...deps.sms, outbox: { ...deps.sms?.outbox, onSent: () => metrics.smsSent.inc(), onFailed: (code) => metrics.smsFailed.inc({ code: code ?? 'none' }) } },
    () => localUrl(server),
    log,
  );
  const messages = new MessagesService(db, config.senders, config.limits, () => sms.outbox.kick(), sms.sender.name);
  sms.outbox.start();

  const graphql = createGraphQLServer({ prisma: db.prisma, db, messages, pubsub }, log.child({ module: 'graphql' }), metrics);
  const heartbeat = new Heartbeat();
  const sseDeps = {
    graphql,
    hub: new SubscriptionHub(watch, log.child({ module: 'subscriptions' }), (n) => metrics.eventsDelivered.inc(n)),
    heartbeat,
    access: config.access,
    limits: { ...DEFAULT_STREAM_LIMITS, ...config.streams, ...deps.streamLimits },
    log: log.child({ module: 'sse' }),
    replicaId: config.replicaId,
  };
  observeParts(metrics, { db, heartbeat, hub: sseDeps.hub, pubsub });
  let draining = false;
  const distinct = distinctStreams(sseDeps);
  const single = singleConnectionStreams(sseDeps, distinct);
  const multipartBeat = multipartHeartbeat();
  const multipart = multipartSubscriptions({ ...sseDeps, multipartHeartbeat: multipartBeat });
  const router = createRouter({
    db,
    eventStreams: { distinct, single, multipart },
    metrics,
    legacy: config.legacyApi ? { db, messages, pubsub, heartbeat, access: config.access, limits: sseDeps.limits, log: log.child({ module: 'legacy-api' }) } : undefined,
    access: config.access,
    operatorName: config.senders.operatorName,
    graphql,
    twilioWebhooks: sms.webhooks,
    smsSenderName: sms.sender.name,
    webDir: deps.webDir,
    localAdminSecret: deps.localAdminSecret,
    log: log.child({ module: 'http' }),
    draining: () => draining,
  });
  const server = createAdaptorServer({ fetch: router.fetch }) as Server;
  // graphql-ws over WebSocket: upgrades of this same server, on the same pipeline and hub.
  const websockets = attachGraphQLWs(server, { ...sseDeps, db, watch, operatorName: config.senders.operatorName, draining: () => draining });
  metrics.gauge('hatch_websockets_open', 'graphql-ws connections open now.', () => websockets.size);
  metrics.gauge('hatch_multipart_responses_open', 'Multipart subscription responses open now.', () => multipartBeat.size);
  const setup = config.access.auth ? await issueSetupLink(db) : undefined;

  return {
    fetch: (request) => router.fetch(request),
    server,
    setupPath: setup ? `/setup#${setup}` : undefined,
    metrics,
    async close() {
      draining = true;
      const idle = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
      single.stop();
      heartbeat.closeAll();
      multipartBeat.closeAll();
      await websockets.close();
      server.closeIdleConnections();
      await sms.outbox.stop();
      // In-flight requests finish (the caller bounds how long with SHUTDOWN_TIMEOUT).
      await idle;
      await sms.sender.close?.();
      await watch.stop();
      await retention.stop();
      await bridge.stop();
      await db.close();
    },
  };
}

/** Gauges read from the running parts when /metrics is scraped. */
function observeParts(
  metrics: Metrics,
  parts: { db: Database; heartbeat: Heartbeat; hub: SubscriptionHub; pubsub: ReturnType<typeof createHatchPubSub> },
): void {
  const { db } = parts;
  metrics.gauge('hatch_event_streams_open', 'Server-sent event streams open now (both SSE modes).', () => parts.heartbeat.size);
  metrics.gauge('hatch_subscriptions_active', 'GraphQL subscriptions open now, over every transport.', () => parts.hub.stats.subscriptions);
  metrics.gauge('hatch_subscription_executions', 'Executions serving them (subscribers with the same operation share one).', () => parts.hub.stats.executions);
  metrics.gauge('hatch_feed_listeners', 'Listeners on the live change feed in this process (one per execution; a leak shows here).', () => parts.pubsub.listeners());
  metrics.gauge('hatch_listen_up', '1 while the LISTEN connection behind live updates is up.', () => (db.listenerAlive() ? 1 : 0));
  const outbox = async () =>
    (await db.query<{ n: number; age: number | null }>(`SELECT count(*)::int AS n, EXTRACT(EPOCH FROM now() - MIN("created_at"))::float AS age FROM "sms_outbox"`))[0]!;
  metrics.gauge('hatch_sms_outbox_depth', 'SMS waiting to be handed to the provider.', async () => (await outbox()).n);
  metrics.gauge('hatch_sms_outbox_oldest_seconds', 'Age of the oldest SMS waiting to be handed over (0 when none).', async () => (await outbox()).age ?? 0);
  metrics.gauge(
    'hatch_pg_notification_queue_usage',
    "Fraction of Postgres's NOTIFY queue in use (at 1 the database refuses commits that notify).",
    async () => (await db.query<{ usage: number }>('SELECT pg_notification_queue_usage()::float AS usage'))[0]!.usage,
  );
  for (const part of ['total', 'idle', 'waiting'] as const) {
    metrics.gauge(`hatch_pg_pool_${part}`, `Postgres pool connections (${part}; 0 on the embedded database).`, () => db.poolStats?.()[part] ?? 0);
  }
}

/** Where this server can be reached from inside, once it listens (the simulator posts its webhooks there). */
function localUrl(server: Server): string | undefined {
  const address = server.address() as AddressInfo | string | null;
  if (!address || typeof address === 'string') return undefined;
  const host = address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
