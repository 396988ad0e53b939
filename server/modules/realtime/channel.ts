import { z } from 'zod';

// The NOTIFY channels and payloads written by sql/change_feed.sql. A notification only says "the
// feed has reached `seq`": the bridge reads the changes themselves from the tables.

/** Message changes: {"seq", "action", "messageId", "conversationId"}, far under Postgres's 8000-byte limit. */
export const MESSAGE_CHANGES_CHANNEL = 'message_changes';

export const messageChangeNotification = z.object({
  seq: z.number().int().positive(),
  action: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  messageId: z.string(),
  conversationId: z.string(),
});

/** Conversation changes (activity, unread count, read state): {"seq", "id"}. */
export const CONVERSATION_CHANGES_CHANNEL = 'conversation_changes';

export const conversationChangeNotification = z.object({ seq: z.number().int().positive(), id: z.string() });

/** Every channel of the feed, with the payload each carries. */
export const FEED_CHANNELS = [
  { channel: MESSAGE_CHANGES_CHANNEL, payload: messageChangeNotification },
  { channel: CONVERSATION_CHANGES_CHANNEL, payload: conversationChangeNotification },
] as const;
