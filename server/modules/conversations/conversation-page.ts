import type { ReadState } from '../../db/tables/conversation-reads.ts';
import { conversationsPage } from '../../db/tables/conversations-page.ts';
import type { Conversation, Message } from '../../generated/prisma/client.ts';

// What the page's one statement read beside each conversation, kept on the object it belongs to
// (not in a cache: a copy of a conversation from anywhere else has none, and reads its own).
const LAST_MESSAGE = Symbol('lastMessage');
const READ_STATE = Symbol('readState');

interface Known {
  [LAST_MESSAGE]?: Message | null;
  [READ_STATE]?: ReadState | undefined;
}

/** One page of the list for this reader, each conversation carrying its newest message and the reader's read state. */
export async function listConversations(...page: Parameters<typeof conversationsPage>): Promise<Conversation[]> {
  const entries = await conversationsPage(...page);
  return entries.map(({ conversation, lastMessage, readState }) => Object.assign(conversation, { [LAST_MESSAGE]: lastMessage, [READ_STATE]: readState }));
}

/** The newest message read with the page, if this copy of the conversation came with one. */
export function knownLastMessage(c: object): { value: Message | null } | undefined {
  return LAST_MESSAGE in c ? { value: (c as Known)[LAST_MESSAGE]! } : undefined;
}

/** The reader's read state read with the page, if this copy of the conversation came with one. */
export function knownReadState(c: object): { value: ReadState | undefined } | undefined {
  return READ_STATE in c ? { value: (c as Known)[READ_STATE] } : undefined;
}
