import type { DeliveryStatus } from '../channel.ts';

/** Twilio's status words for a Message → Hatch's. "queued"/"accepted" mean Twilio has it: SENDING. */
const STATUS: Record<string, DeliveryStatus> = {
  accepted: 'SENDING',
  queued: 'SENDING',
  sending: 'SENDING',
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'READ', // WhatsApp's read receipt
  undelivered: 'UNDELIVERED',
  failed: 'FAILED',
};

/** A Twilio status word as Hatch's; undefined for a word Hatch does not know. */
export function twilioStatus(word: string): DeliveryStatus | undefined {
  return Object.hasOwn(STATUS, word) ? STATUS[word] : undefined;
}

/** Twilio's answer to a create: a word Hatch does not know still means Twilio has the message. */
export function createdStatus(word: string): DeliveryStatus {
  return twilioStatus(word) ?? 'SENDING';
}
