// The only file that listens: parse the configuration, create the server, listen, stop on a signal.
// Everything else is built by createApp so tests can run it in-process.
import { createServer } from 'node:http';
import { loadConfig, siteUrl, type AppConfig } from './config.ts';
import { openDatabase } from './db/index.ts';
import { EnvError } from './env.ts';
import { loadLocalSecret } from './lib/local-secret.ts';
import { createLogger } from './logger.ts';
import { LOCAL_ADMIN_SECRET_FILE } from './modules/access/local-admin.ts';

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const log = createLogger(config.logLevel);
// A log line must never decide whether the process can stop: with its reader gone (a dead log
// collector, `npm start | tee` ended), writes fail with EPIPE, and that is not the server's problem.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

try {
  // The database opens while the server's code loads: the embedded one spends about a second
  // starting its WebAssembly, much of it on other threads, and loading the code fills that time.
  const opening = openDatabase(config.database, log);
  opening.catch(() => {}); // awaited below, once the code has loaded
  // Postgres takes tens of milliseconds to start a connection (a new server process, then
  // authentication): one is opened meanwhile too, so the migrator's first statement finds it ready.
  // A failure here is the migrator's to report.
  void opening.then(({ db }) => db.query('SELECT 1')).catch(() => {});
  const { createApp } = await import('./app.ts');
  const database = await opening;
  const app = await createApp({
    db: database.db,
    log,
    config,
    localAdminSecret: database.folder ? loadLocalSecret(database.folder.dir, LOCAL_ADMIN_SECRET_FILE) : undefined,
  });
  warnings(config, app.smsProvider);

  // A deep accept queue: when a replica restarts, or a proxy drops its connections, thousands of
  // subscribers reconnect at once. Node's default (511) overflowed under 10,000 reconnecting
  // clients on a 2-core machine (connections dropped, clients backing off for seconds); Linux
  // caps this at net.core.somaxconn.
  const { port, host } = config.listen;
  app.server.listen({ port, host, backlog: 4096 }, () => {
    const bound = (app.server.address() as { port: number }).port;
    const bind = host.includes(':') ? `[${host}]` : host;
    const anywhere = bind === '0.0.0.0' || bind === '[::]';
    database.folder?.update({ url: `http://${anywhere ? '127.0.0.1' : bind}:${bound}` });
    const base = siteUrl(config.listen, bound);
    log.info(`Hatch is listening: the inbox at ${base}/, API and GraphiQL at ${base}/graphql`);
    if (app.setupPath) {
      // Printed, not logged: it is a one-time credential for the person at this terminal.
      const command = import.meta.url.endsWith('.js') ? 'node dist/server/cli/admin.js operator:create --email you@example.com' : 'npm run operator:create -- --email you@example.com';
      console.log(`\nNo operator yet. Open this link to create the first one (it works once):\n\n  ${base}${app.setupPath}\n\nor run: ${command}\n`);
    }
  });

  // /metrics on a loopback port of its own, without sign-in, for a scraper on the same host.
  const metricsServer = config.listen.metricsPort
    ? createServer(async (_req, res) => {
        res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
        res.end(await app.metrics.registry.metrics());
      }).listen(config.listen.metricsPort, '127.0.0.1')
    : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // The deadline first: nothing after this line (a log write, a stuck connection) can keep the
    // process from exiting once SHUTDOWN_TIMEOUT has passed.
    setTimeout(() => {
      quietly(() => log.error('shutdown took longer than SHUTDOWN_TIMEOUT; exiting now'));
      app.server.closeAllConnections();
      database.folder?.release();
      process.exit(1);
    }, config.listen.shutdownTimeoutMs).unref();
    quietly(() => log.info({ signal, timeoutMs: config.listen.shutdownTimeoutMs }, 'shutting down'));
    metricsServer?.close();
    await app.close();
    database.folder?.release();
    quietly(() => log.info('stopped'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  log.fatal({ err }, (err as Error).message);
  process.exit(1);
}

/** What a person starting the server should know about how it is set up. */
function warnings(config: AppConfig, smsProvider: string): void {
  if (config.replicaId) log.info({ replica: config.replicaId }, 'replica');
  if (smsProvider === 'simulator') {
    log.warn('SMS is SIMULATED: no Twilio credentials are set, so no text message leaves this machine');
  } else if (!config.sms.publicUrl) {
    log.warn('PUBLIC_URL is not set: Twilio cannot be asked for status callbacks, so sent SMS will stay at SENDING');
  }
  if (!config.access.auth) {
    log.warn('HATCH_AUTH=off: anyone who can reach this port reads every conversation and sends as the operator. For this machine only.');
  }
}

function quietly(write: () => void): void {
  try {
    write();
  } catch {
    // The log's reader is gone; stopping goes on.
  }
}
