import type { MessageChannel, MessageDirection, MessageStatus } from '../../gql/graphql.ts';

export type StatusTone = 'pending' | 'done' | 'error';

export interface StatusLine {
  text: string;
  tone: StatusTone;
}

export interface StatusInput {
  direction: MessageDirection;
  channel: MessageChannel;
  status: MessageStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
}

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
    case 'FAILED':
      return { text: `failed: ${reason(m)}`, tone: 'error' };
    case 'UNDELIVERED':
      return { text: `not delivered: ${reason(m)}`, tone: 'error' };
    case 'STORED':
      return { text: m.channel === 'INTERNAL' ? 'saved' : 'sent', tone: 'done' };
    case 'RECEIVED':
      return null;
  }
}
