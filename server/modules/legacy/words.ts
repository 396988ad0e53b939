import type { MessageDirection, MessageStatus } from '../../generated/prisma/enums.ts';

// The Flask service stored Twilio's own lower-case words (its model's `status` and `direction`
// columns were free text), and wrote "sent" for messages it only stored. These tables are the one
// place that knows how those words and Hatch's enums correspond, for the old API and the importer.

const OUT: Record<MessageStatus, string> = {
  QUEUED: 'queued',
  SENDING: 'sending',
  SENT: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
  UNDELIVERED: 'undelivered',
  FAILED: 'failed',
  RECEIVED: 'received',
  // The old service answered "sent" for a message it stored without sending.
  STORED: 'sent',
};

/** A Hatch status in the old service's word. */
export const legacyStatus = (status: MessageStatus): string => OUT[status];

/** A Hatch direction as the old service wrote it (Twilio's `direction` of an API message). */
export const legacyDirection = (direction: MessageDirection): string => (direction === 'INBOUND' ? 'inbound-api' : 'outbound-api');

// Every status Twilio documents for a Message, plus the old model's own "pending".
const IN: Record<string, MessageStatus> = {
  pending: 'QUEUED',
  queued: 'QUEUED',
  accepted: 'QUEUED',
  scheduled: 'QUEUED',
  sending: 'SENDING',
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'DELIVERED',
  partially_delivered: 'DELIVERED',
  undelivered: 'UNDELIVERED',
  failed: 'FAILED',
  canceled: 'FAILED',
  cancelled: 'FAILED',
  received: 'RECEIVED',
  receiving: 'RECEIVED',
};

const word = (w: string | null | undefined) => w?.trim().toLowerCase().replace(/-/g, '_') ?? '';

/** The Hatch status of an old status word; undefined when the word is not one Twilio or the old service used. */
export const statusFromLegacy = (status: string | null | undefined): MessageStatus | undefined => IN[word(status)];

/** The Hatch direction of an old direction word ("inbound", "inbound-api", "outbound-api", "outbound-reply", …). */
export function directionFromLegacy(direction: string | null | undefined): MessageDirection | undefined {
  const w = word(direction);
  if (w.startsWith('inbound')) return 'INBOUND';
  if (w.startsWith('outbound')) return 'OUTBOUND';
  return undefined;
}
