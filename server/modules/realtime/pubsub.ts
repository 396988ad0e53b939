import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import type { Conversation, Message } from '../../generated/prisma/client.ts';

/** One change to one message, as the `messageUpdated` subscription delivers it. */
export interface MessageUpdateEvent {
  /** The change's sequence number, as a string: a position in the feed that only grows. */
  cursor: string;
  action: 'INSERT' | 'UPDATE' | 'DELETE';
  conversationId: string;
  messageId: string;
  occurredAt: Date;
  /** The message as it was after the change; null after DELETE. */
  message: Message | null;
}

/** One change to one conversation: its row as it was after the change. */
export interface ConversationUpdateEvent {
  cursor: string;
  conversation: Conversation;
}

export type HatchPubSub = ReturnType<typeof createHatchPubSub>;

export function createHatchPubSub() {
  // Every open subscription is one listener; Node's default warning at 10 is not a leak signal here.
  const eventTarget = new EventTarget();
  setMaxListeners(0, eventTarget);
  return createPubSub<{ messageUpdated: [MessageUpdateEvent]; conversationUpdated: [ConversationUpdateEvent] }>({ eventTarget });
}
