import type { ConversationListRow } from '../../db/tables/conversations.ts';
import type { Message } from '../../generated/prisma/client.ts';
import { isE164 } from '../../lib/phone.ts';
import type { MessageUpdateEvent } from '../realtime/index.ts';
import { legacyDirection, legacyStatus } from './words.ts';

/**
 * A time as the old service wrote it (Python's isoformat), with an explicit UTC offset rather than
 * JavaScript's "Z": Python before 3.11 cannot parse "Z", and every JSON client can parse "+00:00".
 */
export const legacyTime = (at: Date): string => at.toISOString().replace(/Z$/, '+00:00');

/** Unix seconds, as the old event stream's `timestamp` (Python's time.time(), so with a fraction). */
export const unixSeconds = (at: Date): number => at.getTime() / 1000;

/** One message as `/api/conversation/<id>/messages` gave it: the old model's columns, then the extras it also sent. */
export function legacyMessage(m: Message) {
  const status = legacyStatus(m.status);
  return {
    id: m.id,
    to_contact: m.to,
    from_contact: m.from,
    body: m.body,
    conversation_id: m.conversationId,
    timestamp: legacyTime(m.createdAt),
    status,
    direction: legacyDirection(m.direction),
    type: 'sms',
    external_sid: m.providerSid,
    // An integer column in the old model; Twilio's codes are numbers.
    error_code: m.errorCode != null && /^\d{1,9}$/.test(m.errorCode) ? Number(m.errorCode) : m.errorCode,
    error_message: m.errorMessage,
    is_delivered: status === 'sent' || status === 'delivered',
  };
}

export type { ConversationListRow };

/**
 * One conversation as `/api/conversations` gave it. `participants` stays the string the old
 * service built ("contact, us"): its clients display it as it comes. Where neither side is known
 * to be ours (imported data), the two in Hatch's order.
 */
export function legacyConversation(c: ConversationListRow) {
  const other = c.ours === c.participantA ? c.participantB : c.participantA;
  const participants = c.ours && (c.ours === c.participantA || c.ours === c.participantB) ? `${other}, ${c.ours}` : `${c.participantA}, ${c.participantB}`;
  const last = legacyTime(c.lastMessageAt);
  return {
    conversation_id: c.id,
    participants,
    last_message: c.lastBody,
    last_timestamp: last,
    // The names the last version of the old service used for the same things.
    last_message_date: last,
    has_phone_numbers: isE164(c.participantA) || isE164(c.participantB),
  };
}

/** One change, as the old event stream's `message_update` event. */
export function legacyUpdate(e: Pick<MessageUpdateEvent, 'conversationId' | 'action' | 'messageId' | 'occurredAt'>) {
  return {
    type: 'message_update',
    conversation_id: e.conversationId,
    action: e.action,
    message_id: e.messageId,
    timestamp: unixSeconds(e.occurredAt),
  };
}
