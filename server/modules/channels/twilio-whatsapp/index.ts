import type { Channel, OutboundMessage } from '../channel.ts';
import { twilioChannel, twilioClientOf, type TwilioSmsOptions } from '../twilio-sms/index.ts';
import { approvedTemplates, cachedFor, SIMULATOR_TEMPLATES, type ContentWithApproval } from './templates.ts';

import { WHATSAPP_INBOUND_PATH, WHATSAPP_STATUS_PATH } from './paths.ts';

export { WHATSAPP_INBOUND_PATH, WHATSAPP_STATUS_PATH } from './paths.ts';

/** Free text may go this long after the customer's last message (WhatsApp's customer service window). */
export const SESSION_WINDOW_MS = 24 * 3600_000;
/** How long the account's templates are kept before they are listed again. */
const TEMPLATES_TTL_MS = 10 * 60_000;

export interface WhatsAppOptions extends TwilioSmsOptions {
  /** When the customer (`to`) last wrote to us (`from`) on this channel; the simulator's window. */
  lastInbound: (from: string, to: string) => Promise<Date | undefined>;
}

/**
 * WhatsApp through Twilio: the same Messages API and webhooks as SMS, with "whatsapp:" addresses.
 * What is WhatsApp's own: the `read` receipt, the 24-hour window for free text, and templates
 * (Twilio's Content API) for outside it. One WhatsApp message is one unit, whatever its length.
 */
export function twilioWhatsAppChannel(options: WhatsAppOptions): Promise<Channel> {
  return twilioChannel(options, {
    id: 'WHATSAPP',
    paths: { inbound: WHATSAPP_INBOUND_PATH, status: WHATSAPP_STATUS_PATH },
    units: () => 1,
    simulatedStatuses: ['sent', 'delivered', 'read'],
    // Twilio refuses free text outside the window (63016); the simulator does too.
    simulatorRefuses: async (message: OutboundMessage) => {
      const last = await options.lastInbound(message.from, message.to);
      return last && Date.now() - last.getTime() < SESSION_WINDOW_MS ? undefined : '63016';
    },
    extend: (sender) => {
      const client = twilioClientOf(sender);
      const list = client
        ? async () => approvedTemplates((await client.content.v1.contentAndApprovals.list({ pageSize: 500 })) as unknown as ContentWithApproval[])
        : async () => SIMULATOR_TEMPLATES;
      return { templates: cachedFor(TEMPLATES_TTL_MS, list), sessionWindowMs: SESSION_WINDOW_MS };
    },
  });
}
