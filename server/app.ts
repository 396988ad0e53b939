import { createServer, type Server } from 'node:http';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Database } from './db/database.ts';
import { migrate, pendingMigrations } from './db/migrator.ts';
import { checkChangeFeedInstalled } from './db/checks.ts';
import { MessagesService } from './modules/messages/messages.service.ts';
import { ChangeBridge } from './modules/realtime/change-bridge.ts';
import { ConversationBridge } from './modules/realtime/conversation-bridge.ts';
import { createHatchPubSub } from './modules/realtime/pubsub.ts';
import { createSms, type SmsConfig } from './modules/sms/index.ts';
import { INBOUND_PATH, STATUS_PATH } from './modules/sms/twilio-webhooks.ts';
import type { SmsOutboxWorker } from './modules/sms/outbox.ts';
import type { SmsSender } from './modules/sms/sms-sender.ts';
import type { Context } from './schema/builder.ts';
import { schema } from './schema/index.ts';
import { createWebHandler } from './web-static.ts';
import { createGraphiQLAssetsHandler, GRAPHIQL_ASSETS, renderGraphiQL } from './graphiql.ts';
import { useSingleConnectionSSE } from './sse-single-connection.ts';

export interface AppConfig {
  smsFrom: string;
  operatorName: string;
}

export interface AppDeps {
  db: Database;
  log: Logger;
  config: AppConfig;
  sms?: SmsConfig;
  /** The built web inbox to serve at `/`; defaults to web/dist. */
  webDir?: string;
}

export interface App {
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  /** A node:http server around `handle`, not yet listening. */
  server: Server;
  bridge: ChangeBridge;
  outbox: SmsOutboxWorker;
  smsSender: SmsSender;
  close(): Promise<void>;
}

/**
 * Builds the whole server without listening: migrates, checks the database, starts the change
 * bridge and the SMS outbox. The caller listens (server/main.ts) or calls `yoga.fetch` (tests).
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { db, log } = deps;
  await migrate(db, log);
  await checkChangeFeedInstalled(db);

  const pubsub = createHatchPubSub();
  const bridge = new ChangeBridge(db, pubsub, log.child({ module: 'realtime' }));
  await bridge.start();
  const conversationBridge = new ConversationBridge(db, pubsub, log.child({ module: 'realtime' }));
  await conversationBridge.start();

  // Known once the server listens: where the simulator posts its webhooks.
  const localUrl = () => {
    const address = server.address();
    if (!address || typeof address === 'string') return undefined;
    const host = address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  };
  const sms = createSms(db, deps.sms ?? {}, localUrl, log);
  const smsSender = sms.sender;
  const outbox = sms.outbox;
  const messages = new MessagesService(db, deps.config, () => outbox.kick());
  outbox.start();

  const readiness = async () => {
    const checks: Record<string, boolean> = {};
    try {
      await db.query('SELECT 1');
      checks.database = true;
      checks.migrations = (await pendingMigrations(db)).length === 0;
    } catch {
      checks.database = false;
      checks.migrations = false;
    }
    checks.listener = db.listenerAlive();
    return checks;
  };

  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    context: () => ({ prisma: db.prisma, messages, pubsub }),
    graphiql: { title: 'Hatch GraphiQL', subscriptionsProtocol: 'GRAPHQL_SSE' },
    renderGraphiQL,
    logging: log.child({ module: 'graphql' }),
    maskedErrors: true,
    // Yoga's built-in probe answers /health with an empty body; ours (below) says what it checked.
    healthCheckEndpoint: '/_yoga/health',
    plugins: [
      // Single-connection mode of the graphql-sse protocol, at /graphql/stream. Distinct-connections
      // mode is served by Yoga itself at /graphql.
      useSingleConnectionSSE(),
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 30 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 2000 },
        costLimit: { maxCost: 20000 },
      }),
      {
        // Health probes answer before GraphQL handling, from the same handler, so `yoga.fetch` serves them too.
        async onRequest({ url, endResponse, fetchAPI }) {
          if (url.pathname === '/health') {
            endResponse(json(fetchAPI, { status: 'ok' }, 200));
          } else if (url.pathname === '/ready') {
            const checks = await readiness();
            const ready = Object.values(checks).every(Boolean);
            endResponse(json(fetchAPI, { status: ready ? 'ready' : 'not ready', checks, sms: smsSender.name }, ready ? 200 : 503));
          }
        },
      },
    ],
  });

  const web = createWebHandler(deps.webDir);
  const graphiqlAssets = createGraphiQLAssetsHandler();
  // Yoga answers the API and the probes; every other GET is the web inbox.
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === INBOUND_PATH || path === STATUS_PATH) return void sms.webhooks(req, res);
    if (path.startsWith(`${GRAPHIQL_ASSETS}/`)) return graphiqlAssets(req, res);
    if (path.startsWith(yoga.graphqlEndpoint) || path === '/health' || path === '/ready' || req.method !== 'GET') {
      return void yoga(req, res);
    }
    web(req, res);
  });

  return {
    yoga,
    server,
    bridge,
    outbox,
    smsSender,
    async close() {
      await outbox.stop();
      await smsSender.close?.();
      await bridge.stop();
      await conversationBridge.stop();
      await db.close();
    },
  };
}

function json(fetchAPI: { Response: typeof Response }, body: unknown, status: number): Response {
  return new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
