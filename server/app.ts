import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Database } from './db/database.ts';
import { checkChangeFeedInstalled } from './db/checks.ts';
import { migrate } from './db/migrator.ts';
import { createGraphQLServer } from './http/graphql.ts';
import { createRouter } from './http/router.ts';
import { MessagesService, type SenderDefaults } from './modules/messages/messages.service.ts';
import { FeedBridge } from './modules/realtime/feed-bridge.ts';
import { createHatchPubSub } from './modules/realtime/pubsub.ts';
import { createSms, type SmsConfig } from './modules/sms/index.ts';

export interface AppDeps {
  db: Database;
  log: Logger;
  config: SenderDefaults;
  sms?: SmsConfig;
  /** The built web inbox to serve at `/`; defaults to web/dist. */
  webDir?: string;
}

export interface App {
  /** The whole server as one fetch handler (what `server` runs). */
  fetch: (request: Request) => Response | Promise<Response>;
  /** A node:http server around `fetch`, not yet listening. */
  server: Server;
  close(): Promise<void>;
}

/**
 * Builds the whole server without listening: migrates, checks the database, starts the change
 * feed bridge and the SMS outbox, and routes every request through one router. The caller listens
 * (server/main.ts, tests over a real socket) or calls `fetch` in-process.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { db, log } = deps;
  await migrate(db, log);
  await checkChangeFeedInstalled(db);

  const pubsub = createHatchPubSub();
  const bridge = new FeedBridge(db, pubsub, log.child({ module: 'realtime' }));
  await bridge.start();

  const sms = createSms(db, deps.sms ?? {}, () => localUrl(server), log);
  const messages = new MessagesService(db, deps.config, () => sms.outbox.kick());
  sms.outbox.start();

  const graphql = createGraphQLServer(() => ({ prisma: db.prisma, db, messages, pubsub }), log.child({ module: 'graphql' }));
  const router = createRouter({ db, graphql, twilioWebhooks: sms.webhooks, smsSenderName: sms.sender.name, webDir: deps.webDir });
  const server = createAdaptorServer({ fetch: router.fetch, overrideGlobalObjects: false }) as Server;

  return {
    fetch: (request) => router.fetch(request),
    server,
    async close() {
      await sms.outbox.stop();
      await sms.sender.close?.();
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
