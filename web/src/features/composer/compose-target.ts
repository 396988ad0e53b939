import type { MessageChannel } from '../../gql/graphql.ts';
import { isPhoneNumber, isWhatsAppAddress } from '../../lib/phone.ts';
import type { PhoneChannel } from '../whatsapp/channel.ts';
import type { RecipientReading } from './use-recipient.ts';

/** How the page shows a participant: as the server writes it, and the contact's name if any. */
export interface ShownAs {
  display: string;
  name: string | null;
}

/**
 * What the composer writes to: a new conversation with a recipient as typed (on the channel chosen
 * for a phone number, if one was), or a reply in an open conversation. `contact` is null when the
 * server does not know which side is ours; then the person picks which participant sends. A reply
 * knows its conversation's channel and, on WhatsApp, until when free text may go.
 */
export type ComposeTarget =
  | { kind: 'new'; to: string; channel?: PhoneChannel }
  | {
      kind: 'reply';
      conversationId: string;
      contact: string | null;
      participants: readonly string[];
      channel?: MessageChannel;
      freeTextUntil?: string | null;
      shownAs?: (address: string) => ShownAs;
    };

/** Who the message will reach, if that is settled yet. */
export function recipientOf(target: ComposeTarget, sendAs: string | null): string | undefined {
  if (target.kind === 'new') return target.to;
  if (target.contact !== null) return target.contact;
  return sendAs === null ? undefined : target.participants.find((p) => p !== sendAs);
}

/**
 * The channel it goes on, for the counter, the placeholder and what the composer says: for a new
 * conversation as the server read the recipient (the chosen channel, else SMS, until it has said
 * otherwise); for a reply, the conversation's channel, else by the stored address.
 */
export function channelOf(target: ComposeTarget, sendAs: string | null, reading: RecipientReading | null = null): MessageChannel {
  if (target.kind === 'new') {
    if (reading === null) return target.channel ?? 'SMS';
    return reading.kind === 'NAME' ? 'INTERNAL' : reading.kind === 'WHATSAPP' ? 'WHATSAPP' : 'SMS';
  }
  if (target.channel) return target.channel;
  const to = recipientOf(target, sendAs);
  const addresses = to !== undefined ? [to] : target.participants;
  if (addresses.some(isWhatsAppAddress)) return 'WHATSAPP';
  return addresses.some(isPhoneNumber) ? 'SMS' : 'INTERNAL';
}

/** Whether it goes by SMS, which counts segments. */
export function goesBySms(target: ComposeTarget, sendAs: string | null, reading: RecipientReading | null = null): boolean {
  return channelOf(target, sendAs, reading) === 'SMS';
}
