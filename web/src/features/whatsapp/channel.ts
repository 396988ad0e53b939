import { safeDisplay } from '../../lib/bidi.ts';

/** The channels a message to a phone number can go on, as `sendMessage(channel:)` names them. */
export type PhoneChannel = 'SMS' | 'WHATSAPP';

/** What a channel is called on the page. */
export const CHANNEL_NAME: Record<PhoneChannel, string> = { SMS: 'SMS', WHATSAPP: 'WhatsApp' };

// The server writes a WhatsApp address for people as "WhatsApp +1 555-123-4567".
const WHATSAPP_WRITTEN = /^WhatsApp (\+[\d\s().-]+)$/;

/**
 * A number as the server writes it for people, without the word "WhatsApp" in front: for the
 * places that show the channel beside it (a badge, "WhatsApp to …"). Anything else, a contact's
 * name say, is returned as it is.
 */
export function withoutChannel(display: string): string {
  return WHATSAPP_WRITTEN.exec(display)?.[1] ?? display;
}

/** "WhatsApp to +1 555-123-4567 (Dana)": the channel a message will go on, and to whom. */
export function channelLine(channel: PhoneChannel, display: string, name?: string | null): string {
  const number = safeDisplay(withoutChannel(display));
  const named = name && safeDisplay(name) !== number ? ` (${safeDisplay(name)})` : '';
  return `${CHANNEL_NAME[channel]} to ${number}${named}`;
}
