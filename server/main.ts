// The only file that listens. Everything else is built by createApp so tests can run it in-process.
import { createServer } from 'node:http';
import path from 'node:path';
import { createApp } from './app.ts';
import { LOCAL_ADMIN_SECRET_FILE } from './cli/direct.ts';
import { appConfig } from './config.ts';
import { claimDataDir } from './db/data-dir-lock.ts';
import { openDatabase } from './db/index.ts';
import { EnvError, isLoopbackHost, loadDotEnv, parseEnv } from './env.ts';
import { loadLocalSecret } from './lib/local-secret.ts';
import { createLogger } from './logger.ts';
import { loadSimulatorToken } from './modules/sms/simulator-sender.ts';

let env;
try {
  loadDotEnv();
  env = parseEnv();
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const log = createLogger(env.LOG_LEVEL);
try {
  const config = appConfig(env);
  // The embedded database is one process's: refuse to open it twice, and tell commands where we are.
  const lock = env.DATABASE_URL ? undefined : claimDataDir(path.resolve(env.HATCH_DATA_DIR));
  const db = await openDatabase(env, log);
  const twilio =
    env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
      ? {
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          from: env.TWILIO_PHONE_NUMBER,
          messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
          apiUrl: env.TWILIO_API_URL,
          maxMps: env.TWILIO_MAX_MPS,
        }
      : undefined;
  const app = await createApp({
    db,
    log,
    config,
    sms: {
      twilio,
      simulatorToken: twilio ? undefined : loadSimulatorToken(env.HATCH_DATA_DIR),
      publicUrl: env.PUBLIC_URL,
      trustProxy: env.TRUST_PROXY,
      outbox: { maxAttempts: env.SMS_MAX_ATTEMPTS },
    },
    localAdminSecret: lock ? loadLocalSecret(env.HATCH_DATA_DIR, LOCAL_ADMIN_SECRET_FILE) : undefined,
  });
  if (env.HATCH_REPLICA_ID) log.info({ replica: env.HATCH_REPLICA_ID }, 'replica');
  if (!twilio) {
    log.warn('SMS is SIMULATED: no Twilio credentials are set, so no text message leaves this machine');
  } else if (!env.PUBLIC_URL) {
    log.warn('PUBLIC_URL is not set: Twilio cannot be asked for status callbacks, so sent SMS will stay at SENDING');
  }
  if (!env.HATCH_AUTH) {
    log.warn('HATCH_AUTH=off: anyone who can reach this port reads every conversation and sends as the operator. For this machine only.');
  }
  // A deep accept queue: when a replica restarts, or a proxy drops its connections, thousands of
  // subscribers reconnect at once. Node's default (511) overflowed under 10,000 reconnecting
  // clients on a 2-core machine (connections dropped, clients backing off for seconds); Linux
  // caps this at net.core.somaxconn.
  app.server.listen({ port: env.PORT, host: env.HOST, backlog: 4096 }, () => {
    const port = (app.server.address() as { port: number }).port;
    const bind = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
    lock?.update({ url: `http://${bind === '0.0.0.0' || bind === '[::]' ? '127.0.0.1' : bind}:${port}` });
    // What a person types: localhost for a loopback or all-interfaces server, else the address given.
    const base = env.PUBLIC_URL ?? `http://${isLoopbackHost(env.HOST) || bind === '0.0.0.0' || bind === '[::]' ? 'localhost' : bind}:${port}`;
    log.info(`Hatch is listening: the inbox at ${base}/, API and GraphiQL at ${base}/graphql`);
    if (app.setupPath) {
      // Printed, not logged: it is a one-time credential for the person at this terminal.
      const command = import.meta.url.endsWith('.js') ? 'node dist/server/cli/admin.js operator:create --email you@example.com' : 'npm run operator:create -- --email you@example.com';
      console.log(`\nNo operator yet. Open this link to create the first one (it works once):\n\n  ${base}${app.setupPath}\n\nor run: ${command}\n`);
    }
  });

  // /metrics on a loopback port of its own, without sign-in, for a scraper on the same host.
  const metricsServer = env.METRICS_PORT
    ? createServer(async (_req, res) => {
        res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
        res.end(await app.metrics.registry.metrics());
      }).listen(env.METRICS_PORT, '127.0.0.1')
    : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutMs: env.SHUTDOWN_TIMEOUT }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took longer than SHUTDOWN_TIMEOUT; exiting now');
      app.server.closeAllConnections();
      lock?.release();
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT).unref();
    metricsServer?.close();
    await app.close();
    lock?.release();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  log.fatal({ err }, (err as Error).message);
  process.exit(1);
}
