import type { MessageChannel } from '../../gql/graphql.ts';
import { reachesPhone } from '../../lib/phone.ts';
import type { PhoneChannel } from './channel.ts';

/** SMS for a WhatsApp thread, WhatsApp for an SMS one. */
export function otherChannel(channel: PhoneChannel): PhoneChannel {
  return channel === 'SMS' ? 'WHATSAPP' : 'SMS';
}

/** What the control beside the channel line says, for the channel it takes the reply to. */
export function switchLabel(to: PhoneChannel): string {
  return to === 'SMS' ? 'Text by SMS instead' : 'Write on WhatsApp instead';
}

/**
 * Whether a reply may move to the same number's other channel: in an SMS or WhatsApp thread with a
 * known contact who is a phone number, where WhatsApp is set up. A note, a name, or a thread whose
 * side of ours is unknown has no other channel.
 */
export function offersOtherChannel(channel: MessageChannel, contact: string | null, whatsappOn: boolean): channel is PhoneChannel {
  return whatsappOn && (channel === 'SMS' || channel === 'WHATSAPP') && contact !== null && reachesPhone(contact);
}

/** A conversation as the server lists a contact's. */
export interface ListedConversation {
  id: string;
  channel: MessageChannel;
  participants: readonly string[];
}

/**
 * Of the conversations the server listed for a contact, the one on `channel` between `address` (as
 * the server reads the number on that channel) and `ours` (our sender there): where a reply on that
 * channel goes. Undefined when there is none yet.
 */
export function conversationOn(conversations: readonly ListedConversation[], channel: PhoneChannel, address: string, ours: string): ListedConversation | undefined {
  return conversations.find((c) => c.channel === channel && c.participants.includes(address) && c.participants.includes(ours));
}

/**
 * The draft a conversation gets when a reply moves to it: what was typed, after what was already
 * waiting there (nothing written is dropped), each once.
 */
export function carriedDraft(waiting: string, typed: string): string {
  if (typed.trim() === '' || waiting.trim() === typed.trim()) return waiting;
  if (waiting.trim() === '') return typed;
  return `${waiting.replace(/\s+$/, '')}\n${typed}`;
}
