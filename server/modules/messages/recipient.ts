import type { Sql } from '../../db/database.ts';
import type { SenderDefaults, SendLimits } from '../../config.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { contactStates, recipientByName, type ContactState } from '../contacts/contacts.service.ts';
import { formatForPeople, numberOf } from '../../lib/phone.ts';
import { optOutText } from '../contacts/opt-out-text.ts';
import { existingSpelling } from '../conversations/conversations.service.ts';
import { destinationRefusal } from './destinations.ts';
import { parseSendInput, type SendChannel } from './send-input.ts';
import { conversationId } from '../conversations/conversation-id.ts';
import { senderOn } from './whatsapp-rules.ts';

/** How a new message's recipient, as typed, would be sent: what the composer confirms before sending. */
export interface RecipientReading {
  kind: 'SMS' | 'WHATSAPP' | 'NAME' | 'INVALID';
  /** As it would be stored: E.164, or the name (spelt as an existing conversation has it). */
  address: string | null;
  display: string | null;
  contact: ContactState | null;
  /** Why a send to it would be refused, with the code and words `sendMessage` would use. */
  error: UserErrorShape | null;
  /** WhatsApp: until when free text may go (null: templates only); undefined elsewhere. */
  freeTextUntil?: Date | null;
}

/** What reading a recipient needs of the messages service: WhatsApp's window. */
export interface RecipientContext {
  freeTextUntil(conversationId: string, to: string): Promise<Date | null | undefined>;
}

/**
 * Reads a recipient by the rules `sendMessage` applies (server/modules/messages/send-input.ts):
 * the same reading of numbers in the default country, and the refusals a send would meet for that
 * recipient (an impossible number, a name that is too long, a country SMS may not go to, an
 * opted-out number, ourselves), so the page never guesses a second set of rules.
 */
export async function readRecipient(
  sql: Pick<Sql, 'query'>,
  senders: SenderDefaults,
  limits: SendLimits,
  typed: string,
  channel?: SendChannel | null,
  context?: RecipientContext,
): Promise<RecipientReading> {
  // A contact's name reads as their number, as `sendMessage` reads it.
  const named = await recipientByName(sql, typed, senders.defaultCountry);
  if ('error' in named) return { kind: 'NAME', address: null, display: null, contact: null, error: named.error };
  const parsed = parseSendInput({ to: named.to, body: '.', channel }, { defaultCountry: senders.defaultCountry });
  if (!parsed.ok) {
    const error = parsed.errors.find((e) => e.field === 'to') ?? parsed.errors[0]!;
    const kind = error.code === 'INVALID_PHONE_NUMBER' ? 'INVALID' : 'NAME';
    return { kind, address: null, display: null, contact: null, error };
  }
  const { route } = parsed.value;
  if (route.channel === 'INTERNAL') {
    const address = (await existingSpelling(sql, senders.operatorName, route.to)) ?? route.to;
    const [contact] = await contactStates(sql, [address]);
    const self = address.toLowerCase() === senders.operatorName.toLowerCase();
    const error = self ? userError('to', 'INVALID_RECIPIENT', 'Sender and recipient are the same; a conversation needs two participants.') : null;
    return { kind: 'NAME', address, display: address, contact: contact!, error };
  }
  const address = route.to;
  const [contact] = await contactStates(sql, [address]);
  const sender = senderOn(route.channel, senders);
  const ours = 'from' in sender ? sender.from : undefined;
  let error: UserErrorShape | null = null;
  const refused = destinationRefusal(numberOf(address), limits);
  if ('error' in sender) {
    error = sender.error;
  } else if (refused) {
    error = refused;
  } else if (contact!.optedOut) {
    error = userError('to', 'OPTED_OUT', optOutText(address, contact!.optOutReason));
  } else if (address === ours) {
    error = userError('to', 'INVALID_RECIPIENT', 'Sender and recipient are the same; a conversation needs two participants.');
  }
  const freeTextUntil = ours && route.channel === 'WHATSAPP' ? await context?.freeTextUntil(conversationId(ours, address), address) : undefined;
  const kind = route.channel === 'WHATSAPP' ? 'WHATSAPP' : 'SMS';
  return { kind, address, display: formatForPeople(address), contact: contact!, error, freeTextUntil };
}
