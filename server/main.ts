// The only file that listens. Everything else is built by createApp so tests can run it in-process.
import { createApp } from './app.ts';
import { openDatabase } from './db/index.ts';
import { DEFAULT_SENDER_NUMBER, EnvError, parseEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { loadSimulatorToken } from './modules/sms/simulator-sender.ts';

let env;
try {
  env = parseEnv();
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const log = createLogger(env.LOG_LEVEL);
try {
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
    config: { smsFrom: env.TWILIO_PHONE_NUMBER ?? DEFAULT_SENDER_NUMBER, operatorName: env.HATCH_OPERATOR_NAME },
    sms: {
      twilio,
      simulatorToken: twilio ? undefined : loadSimulatorToken(env.HATCH_DATA_DIR),
      publicUrl: env.PUBLIC_URL,
      trustProxy: env.TRUST_PROXY,
      outbox: { maxAttempts: env.SMS_MAX_ATTEMPTS },
    },
  });
  if (!twilio) {
    log.warn('SMS is SIMULATED: no Twilio credentials are set, so no text message leaves this machine');
  } else if (!env.PUBLIC_URL) {
    log.warn('PUBLIC_URL is not set: Twilio cannot be asked for status callbacks, so sent SMS will stay at SENDING');
  }
  app.server.listen(env.PORT, env.HOST, () => {
    const base = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
    log.info(`Hatch is listening: API and GraphiQL at ${base}/graphql`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    app.server.closeAllConnections();
    app.server.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  log.fatal({ err }, (err as Error).message);
  process.exit(1);
}
