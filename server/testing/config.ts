import { appConfig, type AppConfig } from '../config.ts';
import { parseEnv } from '../env.ts';

/**
 * The configuration a server gets from this environment, as `npm start` would parse it. Tests send
 * far more than a person would, so the send rate limit is off unless a test sets SMS_RATE_LIMIT. The
 * simulator signs with a token of the test's own (not one kept in a data folder) unless a test
 * passes one.
 */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  const config = appConfig(parseEnv({ TWILIO_PHONE_NUMBER: '+15005550006', SMS_RATE_LIMIT: '0', ...env }));
  return { ...config, sms: { ...config.sms, dataDir: env.HATCH_DATA_DIR } };
}
