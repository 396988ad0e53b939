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
  return latest(ownVersion(c), c.lastMessage?.updatedAt ?? '');
}

/**
 * The conversation's own instants, without its last message's status. The two are judged apart:
 * the message's status is written by other transactions, so a change to the conversation (its
 * scheduled messages, say) can commit with an earlier time than a delivery report that arrived
 * first, and must still be taken.
 */
function ownVersion(c: Pick<ConversationNode, 'lastMessageAt' | 'lastReadAt' | 'updatedAt'>): string {
  return latest(c.lastMessageAt, c.lastReadAt ?? '', c.updatedAt ?? '');
}

const latest = (...instants: string[]): string => instants.reduce((a, b) => (b > a ? b : a));

/**
 * What a window should hold of a conversation, given the copy it has and one that arrived: the
 * newer conversation, with whichever copy of the same last message is newer. Undefined when the
 * arrival adds nothing. Equal versions: the later arrival wins, since it may carry a change no
 * timestamp records.
 */
function merge(current: ConversationNode | undefined, incoming: ConversationNode): ConversationNode | undefined {
  if (!current) return incoming;
  const conversation = ownVersion(incoming) >= ownVersion(current) ? incoming : current;
  const mine = current.lastMessage;
  const theirs = incoming.lastMessage;
  const sameMessage = mine && theirs && mine.id === theirs.id;
  if (!sameMessage) return conversation === incoming ? incoming : undefined;
  const lastMessage = theirs.updatedAt >= mine.updatedAt ? theirs : mine;
  if (conversation === current && lastMessage === mine) return undefined;
  return conversation.lastMessage === lastMessage ? conversation : { ...conversation, lastMessage };
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
      const merged = merge((next ?? this.get()).get(c.id), c);
      if (!merged) continue;
      next ??= new Map(this.get());
      next.set(c.id, merged);
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
