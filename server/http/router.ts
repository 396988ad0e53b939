import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AccessConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { ChannelRoute } from '../modules/channels/index.ts';
import type { Access } from './access.ts';
import { AUTH_PATH, mountAuthRoutes } from './auth-routes.ts';
import { authenticate, noBodyFromAnonymous, requireSignIn } from './authenticate.ts';
import { graphqlError, refusalsInPreferredType, type HatchEnv } from './context.ts';
import { closeConnectionsWhenDraining } from './draining.ts';
import { serveStatic } from '@hono/node-server/serve-static';
import { GRAPHIQL_ASSETS, GRAPHIQL_DIST, GRAPHIQL_START, GRAPHIQL_START_FILE } from './graphiql.ts';
import { GRAPHQL_PATH, type GraphQLServer } from './graphql.ts';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import { MAX_REQUEST_BYTES, readBody } from './request-body.ts';
import { requestLog } from './request-log.ts';
import { LEGACY_PATH, legacyApiOff, mountLegacyApi, type LegacyDeps } from './legacy/index.ts';
import { legacyRefusals } from './legacy/responses.ts';
import { mountLocalAdmin } from './local-admin.ts';
import { METRICS_PATH, mountMetrics } from './metrics.ts';
import { mountProbes } from './probes.ts';
import { chooseTransport } from './transport-choice.ts';
import { SCHEMA_SDL_PATH, schemaSdl } from './schema-sdl.ts';
import { apiCors, hostCheck, jsonBodiesOnly, ownPagesOnly, sameOriginOnly, securityHeaders } from './security.ts';
import { packageFiles, webInbox } from './static-files.ts';


export interface RouterParts {
  db: Database;
  /** The GraphQL-over-SSE transports, both modes, and Apollo's multipart subscriptions. */
  eventStreams: { distinct: MiddlewareHandler<HatchEnv>; single: MiddlewareHandler<HatchEnv>; multipart?: MiddlewareHandler<HatchEnv> };
  metrics: Metrics;
  /** The Flask service's API, when HATCH_LEGACY_API is on. */
  legacy?: LegacyDeps;
  access: AccessConfig;
  /** The longest a request body may take to arrive before 408. */
  bodyTimeoutMs: number;
  /** Who a credential signs in (the access seam). */
  credentials: Access;
  graphql: GraphQLServer;
  /** The webhook routes of every channel: providers call them, signed in their own way. */
  channelRoutes: ChannelRoute[];
  /** Who carries SMS ("twilio", "simulator"), for /ready. */
  smsProvider: string;
  webDir?: string;
  localAdminSecret?: string;
  log: Logger;
  /** True once the server is shutting down: /ready says not ready, so balancers move on. */
  draining: () => boolean;
}

/**
 * Every request Hatch answers goes through this one fetch-style router: probes, Twilio's webhooks,
 * sign-in, the GraphQL API (Yoga), GraphiQL's files and the web inbox. What applies to many routes
 * (host check, security headers, sign-in, the browser's cross-site rules) is middleware here,
 * written once.
 */
export function createRouter(parts: RouterParts): Hono<HatchEnv> {
  const { access } = parts;
  const app = new Hono<HatchEnv>();
  // Anything a handler did not expect: logged here with its stack, never sent to the client.
  app.onError((err, c) => {
    parts.log.error({ err, path: c.req.path, method: c.req.method }, 'request failed');
    return graphqlError('Unexpected error.', 'INTERNAL_SERVER_ERROR', 500);
  });
  const webhooks = new Map(parts.channelRoutes.map((r) => [r.path, r.label]));
  app.use('*', requestLog(parts.log, parts.metrics, webhooks));
  app.use('*', closeConnectionsWhenDraining(parts.draining));
  app.use('*', hostCheck(access, [...webhooks.keys()]));
  app.use('*', securityHeaders());

  // Who is calling, where it matters (not for static files, which are the same for everyone).
  const signedIn = authenticate(parts.credentials, access);
  const limitBody = readBody(MAX_REQUEST_BYTES, {
    tooLarge: () => graphqlError(`Requests are limited to ${MAX_REQUEST_BYTES / 1024} KiB.`, 'REQUEST_TOO_LARGE', 413),
    tooSlow: () => graphqlError(`The request body did not arrive within ${parts.bodyTimeoutMs / 1000} s.`, 'REQUEST_TIMEOUT', 408),
    timeoutMs: parts.bodyTimeoutMs,
  });
  // The credential is checked before a body is read, so an anonymous caller cannot make the
  // server hold bodies; then the browser's rules, then the body.
  const api: MiddlewareHandler<HatchEnv>[] = [apiCors(access), refusalsInPreferredType(), signedIn, noBodyFromAnonymous(), limitBody, sameOriginOnly(access), jsonBodiesOnly()];
  for (const path of ['/ready', METRICS_PATH]) app.use(path, signedIn);
  if (parts.legacy) app.use(`${LEGACY_PATH}/*`, legacyRefusals());
  // `/graphql/*` covers `/graphql` itself too: naming both ran each of these twice per request.
  for (const path of [`${AUTH_PATH}/*`, `${GRAPHQL_PATH}/*`, `${LEGACY_PATH}/*`]) for (const handler of api) app.use(path, handler);
  // Signing in is the one write with no credential: only from our own pages (login CSRF).
  app.use(`${AUTH_PATH}/*`, ownPagesOnly(access));

  mountProbes(app, parts.db, parts.smsProvider, parts.draining);
  mountMetrics(app, parts.metrics.registry);
  mountAuthRoutes(app, parts.db, access, parts.log.child({ module: 'auth' }));
  if (parts.localAdminSecret) mountLocalAdmin(app, parts.db, parts.localAdminSecret);
  if (parts.legacy) mountLegacyApi(app, parts.legacy);
  else app.all(`${LEGACY_PATH}/*`, legacyApiOff);

  // Providers' webhooks carry their own credential (a signature over the request): each channel
  // checks its own, on the paths it names.
  for (const route of parts.channelRoutes) {
    const tooLarge = bodyLimit({ maxSize: route.maxBodyBytes, onError: (c) => c.text('Body too large\n', 413) });
    app.all(route.path, tooLarge, (c) => route.handle(c.req.raw));
  }

  // A person opening GraphiQL without a session is sent to sign in and back.
  app.get(GRAPHQL_PATH, async (c, next) => {
    if (c.get('principal') || !c.req.header('accept')?.includes('text/html')) return next();
    return c.redirect(`/sign-in?next=${encodeURIComponent(GRAPHQL_PATH)}`, 303);
  });
  // Event streams (both SSE modes) go to Hatch's own transport; everything else on /graphql to Yoga.
  app.all(`${GRAPHQL_PATH}/stream`, requireSignIn(), parts.eventStreams.single);
  // Apollo's multipart subscriptions too; the client's Accept header chooses (transport-choice.ts).
  app.on(['GET', 'POST'], GRAPHQL_PATH, requireSignIn(), async (c, next) => {
    const transport = await chooseTransport(c.req.raw);
    if (transport === 'sse') return parts.eventStreams.distinct(c, next);
    if (transport === 'multipart' && parts.eventStreams.multipart) return parts.eventStreams.multipart(c, next);
    return next();
  });
  app.get(SCHEMA_SDL_PATH, requireSignIn(), schemaSdl());
  app.all(GRAPHQL_PATH, requireSignIn(), async (c) => parts.graphql.fetch(c.req.raw, { principal: c.get('principal')! }));

  app.get(`${GRAPHIQL_ASSETS}/*`, packageFiles(GRAPHIQL_DIST, GRAPHIQL_ASSETS));
  app.get(GRAPHIQL_START, serveStatic({ path: GRAPHIQL_START_FILE }));
  for (const handler of webInbox(parts.webDir)) app.get('*', handler);
  return app;
}
