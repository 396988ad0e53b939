import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SmsSettings } from '../../../config.ts';
import type { Channel, ChannelSink, MessageChannel, OutboundMessage } from '../channel.ts';
import { smsSegments } from '../segments.ts';
import { optOutByError } from './opt-out.ts';
import type { SmsSender } from './sender.ts';
import { loadSimulatorToken, SimulatorSmsSender } from './simulator-sender.ts';
import { twilioStatus } from './statuses.ts';
import type { TwilioSmsSender } from './twilio-sender.ts';
import { describeTwilioError } from './twilio-errors.ts';
import { INBOUND_PATH, STATUS_PATH, twilioWebhookRoutes } from './webhooks.ts';

export { INBOUND_PATH, STATUS_PATH } from './webhooks.ts';

export interface TwilioSmsOptions {
  settings: SmsSettings;
  sink: ChannelSink;
  /** Where this server can be reached from inside, once it listens (the simulator posts there). */
  localUrl: () => string | undefined;
  log: Logger;
}

/** What one of Twilio's channels (SMS, WhatsApp) has of its own; the rest is the Messages API's. */
export interface TwilioChannelKind {
  id: MessageChannel;
  paths: { inbound: string; status: string };
  /** What a message costs against the sender's rate. */
  units(body: string): number;
  /** The statuses the simulator reports after taking a message. */
  simulatedStatuses: string[];
  /** Free text the simulator refuses, with the Twilio error code Twilio would answer. */
  simulatorRefuses?: (message: OutboundMessage) => Promise<string | undefined>;
  /** The rest of the channel, given the sender (Twilio's, to reach its other APIs, or the simulator). */
  extend?: (sender: SmsSender) => Partial<Channel>;
}

/**
 * A channel through Twilio's Messages API, or through the simulator (the same webhooks, signed with
 * a token of this installation's own) when no Twilio credentials are set. Twilio's library is
 * loaded only when it is used: it alone is about 20 MB resident.
 */
export async function twilioChannel({ settings, sink, localUrl, log }: TwilioSmsOptions, kind: TwilioChannelKind): Promise<Channel> {
  const twilio = settings.twilio;
  const authToken =
    twilio?.authToken ?? settings.simulatorToken ?? (settings.dataDir ? loadSimulatorToken(settings.dataDir) : randomBytes(24).toString('hex'));
  const sender: SmsSender = twilio
    ? new (await import('./twilio-sender.ts')).TwilioSmsSender({
        ...twilio,
        statusCallbackUrl: () => (settings.publicUrl ? `${settings.publicUrl}${kind.paths.status}` : undefined),
      })
    : new SimulatorSmsSender({
        authToken,
        localUrl,
        signedUrl: () => settings.publicUrl ?? localUrl(),
        stepMs: settings.simulatorStepMs,
        statusPath: kind.paths.status,
        statuses: kind.simulatedStatuses,
        refuseFreeText: kind.simulatorRefuses,
      });
  return {
    id: kind.id,
    provider: sender.name,
    send: (message) => sender.send(message),
    findSent: sender.findSent ? (message, createdAfter) => sender.findSent!(message, createdAfter) : undefined,
    units: kind.units,
    maxUnitsPerSecond: sender.maxSegmentsPerSecond,
    routes: twilioWebhookRoutes(sink, { authToken, publicUrl: settings.publicUrl, trustProxy: settings.trustProxy }, log.child({ module: 'twilio-webhooks' }), kind.paths),
    status: twilioStatus,
    describeError: describeTwilioError,
    optOutByError,
    close: () => sender.close?.() ?? Promise.resolve(),
    ...kind.extend?.(sender),
  };
}

/** Twilio's client behind a sender, when it is Twilio's (the simulator has none). */
export function twilioClientOf(sender: SmsSender): TwilioSmsSender['client'] | undefined {
  return (sender as Partial<TwilioSmsSender>).client;
}

/** SMS through Twilio: paced by segments. */
export function twilioSmsChannel(options: TwilioSmsOptions): Promise<Channel> {
  return twilioChannel(options, {
    id: 'SMS',
    paths: { inbound: INBOUND_PATH, status: STATUS_PATH },
    units: (body) => Math.max(1, smsSegments(body).segments),
    simulatedStatuses: ['sent', 'delivered'],
  });
}
