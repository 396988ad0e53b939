import { z } from 'zod';

/** The NOTIFY channel written by sql/change_feed.sql. */
export const MESSAGE_CHANGES_CHANNEL = 'message_changes';

/** The NOTIFY payload written by sql/change_feed.sql: ids only, far under Postgres's 8000-byte limit. */
export const messageChangeNotification = z.object({
  seq: z.number().int().positive(),
  action: z.enum(['INSERT', 'UPDATE', 'DELETE']),
  messageId: z.string(),
  conversationId: z.string(),
});

export type MessageChangeNotification = z.infer<typeof messageChangeNotification>;

/** The NOTIFY channel for conversation changes (read state, activity), also from sql/change_feed.sql. */
export const CONVERSATION_CHANGES_CHANNEL = 'conversation_changes';

export const conversationChangeNotification = z.object({ id: z.string() });
