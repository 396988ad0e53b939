import type { MessageChannel, MessageDirection, MessageStatus } from '../../gql/graphql.ts';

export type StatusTone = 'pending' | 'done' | 'error';

export interface StatusLine {
  text: string;
  tone: StatusTone;
  /** Why it failed, for the thread; the list shows `text` alone. */
  reason?: string;
}

export interface StatusInput {
  direction: MessageDirection;
  channel: MessageChannel;
  status: MessageStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * The one word for an SMS that did not reach its person, whether Twilio refused it (FAILED) or the
 * carrier could not deliver it (UNDELIVERED): the list and the thread both say it.
 */
export const NOT_DELIVERED = 'Not delivered';

function reason(m: StatusInput): string {
  return m.errorMessage?.trim() || (m.errorCode ? `error ${m.errorCode}` : 'no reason given');
}

/** What an outbound message's status means to the person who sent it; nothing for inbound ones. */
export function statusLine(m: StatusInput): StatusLine | null {
  if (m.direction === 'INBOUND') return null;
  switch (m.status) {
    case 'QUEUED':
    case 'SENDING':
      return { text: 'sending…', tone: 'pending' };
    case 'SENT':
      return { text: 'sent', tone: 'done' };
    case 'DELIVERED':
      return { text: 'delivered', tone: 'done' };
    // WhatsApp's read receipt: the person opened it.
    case 'READ':
      return { text: 'read', tone: 'done' };
    case 'FAILED':
    case 'UNDELIVERED':
      return { text: NOT_DELIVERED, tone: 'error', reason: reason(m) };
    case 'STORED':
      return { text: m.channel === 'INTERNAL' ? 'saved' : 'sent', tone: 'done' };
    case 'RECEIVED':
      return null;
  }
}

/** The status as one line: "Not delivered: the handset is unreachable". */
export const statusText = (s: StatusLine): string => (s.reason ? `${s.text}: ${s.reason}` : s.text);
