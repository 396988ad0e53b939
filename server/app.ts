import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';
import type { AppConfig, SmsSettings, StreamLimits } from './config.ts';
import { checkChangeFeedInstalled } from './db/checks.ts';
import type { Database } from './db/database.ts';
import { registerDatabaseMetrics } from './db/metrics.ts';
import { migrate } from './db/migrator.ts';
import { createAccess } from './http/access.ts';
import { createGraphQLServer } from './http/graphql.ts';
import { multipartHeartbeat, multipartSubscriptions } from './http/multipart/multipart.ts';
import { createRouter } from './http/router.ts';
import { distinctStreams } from './http/sse/distinct.ts';
import { singleConnectionStreams } from './http/sse/single.ts';
import { createStreamingCore, registerStreamingMetrics } from './http/streaming/open-stream.ts';
import { attachGraphQLWs } from './http/ws/graphql-ws.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { AccessWatch } from './modules/access/revocations.ts';
import { issueSetupLink } from './modules/access/setup-link.service.ts';
import { createChannels } from './modules/channels/index.ts';
import { SnoozeWaker } from './modules/conversations/snooze-waker.ts';
import { DISPATCH_TIMES, WebhookDispatcher, type DispatchTimes } from './modules/webhooks/dispatcher.ts';
import { PresenceHub, PRESENCE_TIMES, type PresenceTimes } from './modules/presence/presence.ts';
import { MessagesService } from './modules/messages/messages.service.ts';
import { Scheduler, SCHEDULER_TIMES, type SchedulerTimes } from './modules/scheduling/scheduler.ts';
import { ChangeFeed, createHatchPubSub, FeedBridge, FeedRetention } from './modules/realtime/index.ts';
import { AuditRetention } from './modules/audit/audit.service.ts';

export interface AppDeps {
  db: Database;
  log: Logger;
  config: AppConfig;
  /** The built web inbox to serve at `/`; defaults to web/dist. */
  webDir?: string;
  /** With the embedded database: the secret of the local admin route the commands use meanwhile. */
  localAdminSecret?: string;
  /** Tests: stream limits and SMS settings over the configuration's (small buffers, a fast simulator). */
  streamLimits?: Partial<StreamLimits>;
  sms?: Partial<Omit<SmsSettings, 'outbox'>> & { outbox?: SmsSettings['outbox'] };
  /** Tests: how long a token is trusted without asking the database (TOKEN_CACHE_TTL_MS). */
  tokenCacheMs?: number;
  /** Tests: how often snoozes that have run out are looked for. */
  snoozeCheckMs?: number;
  /** Tests: how long presence lasts without a new report. */
  presenceTimes?: Partial<PresenceTimes>;
  /** Tests: webhook rounds, retries and the give-up time, shortened. */
  webhookTimes?: Partial<DispatchTimes>;
  /** What time it is, for quiet hours and scheduled sends: tests move it rather than wait. */
  clock?: () => Date;
  /** Tests: how often scheduled messages are looked for. */
  schedulerTimes?: Partial<SchedulerTimes>;
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
  /** Who carries SMS: "twilio", or "simulator" without credentials. */
  smsProvider: string;
  /** The Prometheus registry (also served at /metrics). */
  metrics: Metrics;
  /** Sends the scheduled messages due now (they also go by themselves, every second). */
  sendDue(): Promise<number>;
  /**
   * Stops gracefully: /ready turns not-ready, no new connections are taken, event streams and
   * WebSockets end (so their clients reconnect, to another replica when there is one), in-flight
   * requests and SMS hand-offs finish, then LISTEN and the database close.
   */
  close(): Promise<void>;
}

/**
 * Builds the whole server without listening: migrates, checks the database, starts the change
 * feed bridge, the access watch and the outbox, and routes every request through one router. The
 * caller listens (server/main.ts, tests over a real socket) or calls `fetch` in-process.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { db, log } = deps;
  const config = {
    ...deps.config,
    streams: { ...deps.config.streams, ...deps.streamLimits },
    sms: { ...deps.config.sms, ...deps.sms, outbox: { ...deps.config.sms.outbox, ...deps.sms?.outbox } },
  };
  await migrate(db, log);
  await checkChangeFeedInstalled(db);
  const metrics = createMetrics();
  registerDatabaseMetrics(db, metrics);

  // The change feed: one LISTEN per process, fanned out to subscriptions; retention keeps it short.
  const pubsub = createHatchPubSub();
  const bridge = new FeedBridge(db, pubsub, log.child({ module: 'realtime' }));
  bridge.registerMetrics(metrics);
  await bridge.start();
  const feed = new ChangeFeed(db, pubsub);
  const retention = new FeedRetention(db, config.changeRetentionMs, log.child({ module: 'retention' }));
  retention.start();
  const auditRetention = new AuditRetention(db, config.auditRetentionMs, log.child({ module: 'audit' }));
  auditRetention.start();
  const snoozes = new SnoozeWaker(db, log.child({ module: 'snooze' }), deps.snoozeCheckMs);
  snoozes.start();
  const presence = new PresenceHub(db, log.child({ module: 'presence' }), { ...PRESENCE_TIMES, ...deps.presenceTimes });
  await presence.start();
  metrics.gauge('hatch_presence_watchers', 'Presence subscriptions in this process.', () => presence.watching());

  // Access: who a credential signs in, and revocations heard from every process.
  const watch = new AccessWatch(db, log.child({ module: 'access' }));
  await watch.start();
  const credentials = createAccess(db, watch, {
    auth: config.access.auth,
    sessionDays: config.access.sessionDays,
    operatorName: config.senders.operatorName,
    tokenCacheMs: deps.tokenCacheMs,
  });

  // Channels: sending through providers (the outbox), and their webhooks.
  const channels = await createChannels(db, config.sms, () => localUrl(server), log, (id) => id !== 'WHATSAPP' || config.senders.whatsappFrom !== undefined);
  channels.outbox.registerMetrics(metrics);
  const clock = deps.clock ?? (() => new Date());
  const messages = new MessagesService(db, config.senders, config.limits, () => channels.outbox.kick(), channels.smsProvider, clock, channels.byId);
  channels.outbox.start();
  // Messages to send later go out through the same path when due.
  const scheduler = new Scheduler(db, messages, log.child({ module: 'scheduler' }), clock, { ...SCHEDULER_TIMES, ...deps.schedulerTimes });
  scheduler.start();

  // GraphQL, and the streaming core every live transport frames.
  // Outbound webhooks, fed from the change feed.
  const webhooks = new WebhookDispatcher(db, config.webhooks, log.child({ module: 'webhooks' }), { ...DISPATCH_TIMES, ...deps.webhookTimes });
  webhooks.start();
  bridge.onAdvance(() => webhooks.nudge());

  const graphql = createGraphQLServer({ prisma: db.prisma, db, messages, feed, presence, webhooks: { network: config.webhooks, dispatcher: webhooks } }, log.child({ module: 'graphql' }), metrics);
  const streaming = createStreamingCore({ graphql, access: credentials, browser: config.access, limits: config.streams, log: log.child({ module: 'sse' }), replicaId: config.replicaId });
  const multipartBeat = multipartHeartbeat();
  const distinct = distinctStreams(streaming);
  const single = singleConnectionStreams(streaming, distinct);
  let draining = false;
  const router = createRouter({
    db,
    eventStreams: { distinct, single, multipart: multipartSubscriptions(streaming, multipartBeat) },
    metrics,
    legacy: config.legacyApi ? { db, messages, feed, streaming, log: log.child({ module: 'legacy-api' }) } : undefined,
    access: config.access,
    bodyTimeoutMs: config.listen.bodyTimeoutMs,
    credentials,
    graphql,
    channelRoutes: channels.routes,
    smsProvider: channels.smsProvider,
    webDir: deps.webDir,
    localAdminSecret: deps.localAdminSecret,
    log: log.child({ module: 'http' }),
    draining: () => draining,
  });
  const server = createAdaptorServer({ fetch: router.fetch }) as Server;
  // graphql-ws over WebSocket: upgrades of this same server, on the same core.
  const websockets = attachGraphQLWs(server, streaming, config.access, () => draining);
  registerStreamingMetrics(streaming, metrics, { websockets, multipart: multipartBeat });
  const setup = config.access.auth ? await issueSetupLink(db) : undefined;

  return {
    fetch: (request) => router.fetch(request),
    server,
    setupPath: setup ? `/setup#${setup}` : undefined,
    smsProvider: channels.smsProvider,
    metrics,
    sendDue: () => scheduler.sendDue(),
    async close() {
      draining = true;
      const idle = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
      single.stop();
      streaming.heartbeat.closeAll();
      multipartBeat.closeAll();
      await websockets.close();
      server.closeIdleConnections();
      await scheduler.stop();
      await channels.outbox.stop();
      // In-flight requests finish (the caller bounds how long with SHUTDOWN_TIMEOUT).
      await idle;
      await channels.close();
      credentials.close();
      await watch.stop();
      await retention.stop();
      await auditRetention.stop();
      await snoozes.stop();
      await webhooks.stop();
      await presence.stop();
      await bridge.stop();
      await db.close();
    },
  };
}

/** Where this server can be reached from inside, once it listens (the simulator posts its webhooks there). */
function localUrl(server: Server): string | undefined {
  const address = server.address() as AddressInfo | string | null;
  if (!address || typeof address === 'string') return undefined;
  const host = address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
