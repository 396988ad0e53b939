import type { Logger } from 'pino';
import type { SmsSettings } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { Channel, ChannelRoute, ChannelSink, MessageChannel } from './channel.ts';
import { receiveInbound } from './inbound.ts';
import { OutboxWorker } from './outbox.ts';
import { recordStatusReport } from './statuses.ts';
import { twilioSmsChannel } from './twilio-sms/index.ts';
import { twilioWhatsAppChannel } from './twilio-whatsapp/index.ts';
import { lastInboundAt } from '../../db/tables/messages.ts';
import { conversationId } from '../conversations/conversation-id.ts';

export type { Channel, ChannelRoute, MessageChannel } from './channel.ts';

/** What a channel is made from: its settings, where its webhooks' reports go, and the server's own address. */
interface ChannelFactoryOptions {
  settings: SmsSettings;
  sink: ChannelSink;
  localUrl: () => string | undefined;
  log: Logger;
  /** When `to` last wrote to `from` (the inbound messages this installation stored). */
  lastInbound: (from: string, to: string) => Promise<Date | undefined>;
}

/**
 * The channels this server carries messages on, by the `channel` of those messages. A new channel
 * is a folder beside twilio-sms/ and one line here (docs/architecture.md).
 */
const CHANNELS: Record<MessageChannel, (options: ChannelFactoryOptions) => Promise<Channel>> = {
  SMS: twilioSmsChannel,
  WHATSAPP: twilioWhatsAppChannel,
};

export interface Channels {
  byId: ReadonlyMap<MessageChannel, Channel>;
  /** Every channel's webhook routes, for the router to mount. */
  routes: ChannelRoute[];
  outbox: OutboxWorker;
  /** Who carries SMS: "twilio" or "simulator". */
  smsProvider: string;
  close(): Promise<void>;
}

/**
 * Makes every channel set up here (`enabled`: WhatsApp only with a sender), the outbox that sends
 * through them, and the sink their webhooks report to.
 */
export async function createChannels(
  db: Database,
  settings: SmsSettings,
  localUrl: () => string | undefined,
  log: Logger,
  enabled: (id: MessageChannel) => boolean = () => true,
): Promise<Channels> {
  const byId = new Map<MessageChannel, Channel>();
  const lastInbound = (from: string, to: string) => lastInboundAt(db, conversationId(from, to));
  for (const [id, make] of Object.entries(CHANNELS) as [MessageChannel, (typeof CHANNELS)[MessageChannel]][]) {
    if (!enabled(id)) continue;
    const sink: ChannelSink = {
      inbound: async (message) => void (await receiveInbound(db, id, message, log)),
      status: (report) => recordStatusReport(db, byId.get(id)!, report, log),
    };
    byId.set(id, await make({ settings, sink, localUrl, log, lastInbound }));
  }
  const outbox = new OutboxWorker(db, byId, log.child({ module: 'sms-outbox' }), settings.outbox);
  return {
    byId,
    routes: [...byId.values()].flatMap((channel) => channel.routes),
    outbox,
    smsProvider: byId.get('SMS')!.provider,
    async close() {
      for (const channel of byId.values()) await channel.close?.();
    },
  };
}
