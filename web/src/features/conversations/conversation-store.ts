import type { ConversationItemFragment, MessageBubbleFragment } from '../../gql/graphql.ts';
import { Observable } from '../../lib/store.ts';

export type ConversationNode = ConversationItemFragment;

/**
 * How far a copy of a conversation has got. Every change to it moves one of these instants
 * forward: a new message (lastMessageAt), being read (lastReadAt), being marked done, open or
 * unread, or its contact renamed (updatedAt), its last message's status (lastMessage.updatedAt).
 * So a copy from a query that was sent before a live update arrived cannot undo that update.
 */
export function conversationVersion(c: Pick<ConversationNode, 'lastMessageAt' | 'lastReadAt' | 'updatedAt' | 'lastMessage'>): string {
  return [c.lastMessageAt, c.lastReadAt ?? '', c.updatedAt ?? '', c.lastMessage?.updatedAt ?? ''].reduce((a, b) => (b > a ? b : a));
}

/** Most recent activity first; ties by id, descending, as the server orders them. */
export function compareConversations(a: ConversationNode, b: ConversationNode): number {
  if (a.lastMessageAt !== b.lastMessageAt) return a.lastMessageAt > b.lastMessageAt ? -1 : 1;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

export type ConversationMap = ReadonlyMap<string, ConversationNode>;

/** Every conversation this window knows of, by id, whatever brought it: a page, a thread, a live update. */
export class ConversationStore extends Observable<ConversationMap> {
  constructor() {
    super(new Map());
  }

  upsert(incoming: readonly ConversationNode[]): void {
    let next: Map<string, ConversationNode> | undefined;
    for (const c of incoming) {
      const current = (next ?? this.get()).get(c.id);
      // Equal versions: the later arrival wins, since it may carry a change no timestamp records.
      if (current && conversationVersion(current) > conversationVersion(c)) continue;
      next ??= new Map(this.get());
      next.set(c.id, c);
    }
    if (next) this.set(next);
  }

  /** Forgets a conversation that no longer exists (its contact was erased). */
  remove(id: string): void {
    if (!this.get().has(id)) return;
    const next = new Map(this.get());
    next.delete(id);
    this.set(next);
  }

  /**
   * A status change to a conversation's last message, from the message feed: the server announces
   * conversation changes for new messages and read state, not for delivery reports.
   */
  updateLastMessage(m: MessageBubbleFragment): void {
    const c = this.get().get(m.conversationId);
    if (!c?.lastMessage || c.lastMessage.id !== m.id) return;
    const { id, from, to, body, direction, channel, status, media, createdAt, updatedAt } = m;
    // Who wrote it does not change with its status.
    this.upsert([{ ...c, lastMessage: { id, from, to, body, direction, channel, status, media, createdAt, updatedAt, sentBy: c.lastMessage.sentBy } }]);
  }
}
