import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SmsSettings } from '../../../config.ts';
import type { Channel, ChannelSink } from '../channel.ts';
import { smsSegments } from '../segments.ts';
import { optOutByError } from './opt-out.ts';
import type { SmsSender } from './sender.ts';
import { loadSimulatorToken, SimulatorSmsSender } from './simulator-sender.ts';
import { twilioStatus } from './statuses.ts';
import { describeTwilioError } from './twilio-errors.ts';
import { STATUS_PATH, twilioWebhookRoutes } from './webhooks.ts';

export { INBOUND_PATH, STATUS_PATH } from './webhooks.ts';

export interface TwilioSmsOptions {
  settings: SmsSettings;
  sink: ChannelSink;
  /** Where this server can be reached from inside, once it listens (the simulator posts there). */
  localUrl: () => string | undefined;
  log: Logger;
}

/**
 * SMS through Twilio's Messages API, or through the simulator (the same webhooks, signed with a
 * token of this installation's own) when no Twilio credentials are set. Twilio's library is loaded
 * only when it is used: it alone is about 20 MB resident.
 */
export async function twilioSmsChannel({ settings, sink, localUrl, log }: TwilioSmsOptions): Promise<Channel> {
  const twilio = settings.twilio;
  const authToken =
    twilio?.authToken ?? settings.simulatorToken ?? (settings.dataDir ? loadSimulatorToken(settings.dataDir) : randomBytes(24).toString('hex'));
  const sender: SmsSender = twilio
    ? new (await import('./twilio-sender.ts')).TwilioSmsSender({
        ...twilio,
        statusCallbackUrl: () => (settings.publicUrl ? `${settings.publicUrl}${STATUS_PATH}` : undefined),
      })
    : new SimulatorSmsSender({
        authToken,
        localUrl,
        signedUrl: () => settings.publicUrl ?? localUrl(),
        stepMs: settings.simulatorStepMs,
      });
  return {
    id: 'SMS',
    provider: sender.name,
    send: (sms) => sender.send(sms),
    findSent: sender.findSent ? (sms, createdAfter) => sender.findSent!(sms, createdAfter) : undefined,
    units: (body) => Math.max(1, smsSegments(body).segments),
    maxUnitsPerSecond: sender.maxSegmentsPerSecond,
    routes: twilioWebhookRoutes(sink, { authToken, publicUrl: settings.publicUrl, trustProxy: settings.trustProxy }, log.child({ module: 'twilio-webhooks' })),
    status: twilioStatus,
    describeError: describeTwilioError,
    optOutByError,
    close: () => sender.close?.() ?? Promise.resolve(),
  };
}
