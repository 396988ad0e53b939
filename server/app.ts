import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';
import type { AppConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { checkChangeFeedInstalled } from './db/checks.ts';
import { migrate } from './db/migrator.ts';
import { createGraphQLServer } from './http/graphql.ts';
import { createMetrics } from './http/metrics.ts';
import { createRouter } from './http/router.ts';
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

  const pubsub = createHatchPubSub();
  const bridge = new FeedBridge(db, pubsub, log.child({ module: 'realtime' }));
  await bridge.start();
  const retention = new FeedRetention(db, config.changeRetentionMs, log.child({ module: 'retention' }));
  retention.start();
  const watch = new AccessWatch(db, log.child({ module: 'access' }));
  await watch.start();

  const sms = createSms(db, deps.sms ?? {}, () => localUrl(server), log);
  const messages = new MessagesService(db, config.senders, config.limits, () => sms.outbox.kick());
  sms.outbox.start();

  const graphql = createGraphQLServer({ prisma: db.prisma, db, messages, pubsub }, log.child({ module: 'graphql' }));
  const heartbeat = new Heartbeat();
  const sseDeps = {
    graphql,
    hub: new SubscriptionHub(watch, log.child({ module: 'subscriptions' })),
    heartbeat,
    access: config.access,
    limits: { ...DEFAULT_STREAM_LIMITS, ...config.streams, ...deps.streamLimits },
    log: log.child({ module: 'sse' }),
  };
  const metrics = createMetrics({ eventStreams: () => heartbeat.size, subscriptions: () => sseDeps.hub.stats, feedListeners: () => pubsub.listeners() });
  const distinct = distinctStreams(sseDeps);
  const single = singleConnectionStreams(sseDeps, distinct);
  const router = createRouter({
    db,
    eventStreams: { distinct, single },
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
  });
  const server = createAdaptorServer({ fetch: router.fetch }) as Server;
  const setup = config.access.auth ? await issueSetupLink(db) : undefined;

  return {
    fetch: (request) => router.fetch(request),
    server,
    setupPath: setup ? `/setup#${setup}` : undefined,
    async close() {
      single.stop();
      heartbeat.closeAll();
      await sms.outbox.stop();
      await sms.sender.close?.();
      await watch.stop();
      await retention.stop();
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
