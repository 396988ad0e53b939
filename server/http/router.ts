import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Database } from '../db/database.ts';
import { INBOUND_PATH, STATUS_PATH } from '../modules/sms/index.ts';
import { WEBHOOK_MAX_BODY_BYTES } from '../modules/sms/twilio-webhooks.ts';
import { GRAPHIQL_ASSETS, GRAPHIQL_DIST } from './graphiql.ts';
import { GRAPHQL_PATH, type GraphQLServer } from './graphql.ts';
import { mountProbes } from './probes.ts';
import { packageFiles, webInbox } from './static-files.ts';

export interface RouterParts {
  db: Database;
  graphql: GraphQLServer;
  twilioWebhooks: (request: Request) => Promise<Response>;
  smsSenderName: string;
  webDir?: string;
}

/**
 * Every request Hatch answers goes through this one fetch-style router: probes, Twilio's webhooks,
 * the GraphQL API (Yoga), GraphiQL's files and the web inbox. What applies to every route
 * (sign-in, security headers, request ids, metrics) is middleware here, written once.
 */
export function createRouter(parts: RouterParts): Hono {
  const app = new Hono();
  mountProbes(app, parts.db, parts.smsSenderName);

  const tooLarge = bodyLimit({ maxSize: WEBHOOK_MAX_BODY_BYTES, onError: (c) => c.text('Body too large\n', 413) });
  app.all(INBOUND_PATH, tooLarge, (c) => parts.twilioWebhooks(c.req.raw));
  app.all(STATUS_PATH, tooLarge, (c) => parts.twilioWebhooks(c.req.raw));

  const graphql = (c: { req: { raw: Request } }) => parts.graphql.fetch(c.req.raw);
  app.all(GRAPHQL_PATH, graphql);
  app.all(`${GRAPHQL_PATH}/*`, graphql);

  app.get(`${GRAPHIQL_ASSETS}/*`, packageFiles(GRAPHIQL_DIST, GRAPHIQL_ASSETS));
  for (const handler of webInbox(parts.webDir)) app.get('*', handler);
  return app;
}
