import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { SmsOutboxWorker, type OutboxOptions } from './outbox.ts';
import { SimulatorSmsSender } from './simulator-sender.ts';
import type { SmsSender } from './sms-sender.ts';
import type { TwilioConfig } from './twilio-sender.ts';
import { createTwilioWebhookHandler, STATUS_PATH } from './twilio-webhooks.ts';

export type { TwilioConfig } from './twilio-sender.ts';
export { INBOUND_PATH, STATUS_PATH } from './twilio-webhooks.ts';

export interface SmsConfig {
  /** Real SMS through Twilio; simulated when absent. */
  twilio?: TwilioConfig;
  /** The simulator's webhook signing token (see loadSimulatorToken); random when absent. */
  simulatorToken?: string;
  simulatorStepMs?: number;
  outbox?: OutboxOptions;
  /** The public base URL Twilio reaches this server at (PUBLIC_URL). */
  publicUrl?: string;
  trustProxy?: boolean;
}

/**
 * Assembles SMS: the sender (Twilio or simulator), the outbox worker, and the webhook handler.
 * Twilio's library is loaded only when it is used: it alone is about 20 MB resident.
 */
export async function createSms(db: Database, config: SmsConfig, localUrl: () => string | undefined, log: Logger) {
  const authToken = config.twilio?.authToken ?? config.simulatorToken ?? randomBytes(24).toString('hex');
  const sender: SmsSender = config.twilio
    ? new (await import('./twilio-sender.ts')).TwilioSmsSender({
        ...config.twilio,
        statusCallbackUrl: () => (config.publicUrl ? `${config.publicUrl}${STATUS_PATH}` : undefined),
      })
    : new SimulatorSmsSender({
        authToken,
        localUrl,
        signedUrl: () => config.publicUrl ?? localUrl(),
        stepMs: config.simulatorStepMs,
      });
  const outbox = new SmsOutboxWorker(db, sender, log.child({ module: 'sms-outbox' }), config.outbox);
  const webhooks = createTwilioWebhookHandler(
    db,
    { authToken, publicUrl: config.publicUrl, trustProxy: config.trustProxy ?? false },
    log.child({ module: 'twilio-webhooks' }),
  );
  return { sender, outbox, webhooks };
}
