import type { ConversationNode } from '../features/conversations/conversation-store.ts';
import type { MessageNode } from '../features/messages/message-store.ts';

/** An outbound SMS as the server returns it, with `over` changed. */
export function messageNode(over: Partial<MessageNode> & { id: string }): MessageNode {
  return {
    conversationId: 'c',
    from: '+15005550006',
    to: '+15551234567',
    body: `body ${over.id}`,
    direction: 'OUTBOUND',
    channel: 'SMS',
    status: 'QUEUED',
    errorCode: null,
    errorMessage: null,
    segments: 1,
    encoding: 'GSM7',
    media: [],
    sentBy: { kind: 'OPERATOR', name: 'Ana' },
    createdAt: '2026-11-26T10:00:00.000Z',
    updatedAt: '2026-11-26T10:00:00.000Z',
    ...over,
  };
}

/** A conversation with a phone contact as the server returns it, with `over` changed. */
export function conversationNode(id: string, other: string, over: Partial<ConversationNode> = {}): ConversationNode {
  return {
    id,
    participants: ['+15005550006', other],
    channel: 'SMS',
    freeTextUntil: null,
    lastMessageAt: '2026-11-26T10:00:00.000Z',
    lastReadAt: null,
    updatedAt: '2026-11-26T10:00:00.000Z',
    unreadCount: 0,
    done: false,
    snoozedUntil: null,
    snoozeWokeAt: null,
    ours: '+15005550006',
    assignee: null,
    noteCount: 0,
    scheduledChangedAt: null,
    lastNote: null,
    contact: { address: other, name: null, notes: null, display: other, displayName: other, optedOut: false, optOutNote: null, addresses: [{ address: other }] },
    contacts: [],
    participantContacts: [],
    lastMessage: null,
    ...over,
  };
}
