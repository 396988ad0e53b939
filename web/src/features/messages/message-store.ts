import type { MessageBubbleFragment } from '../../gql/graphql.ts';
import { Observable } from '../../lib/store.ts';

export type MessageNode = MessageBubbleFragment;

export interface StoredMessage {
  message: MessageNode;
  /** When this window first saw it (Date.now()): lets an optimistic bubble find its real message. */
  firstSeenAt: number;
  /** Its cursor in the thread's connection, when it came in a page. */
  cursor?: string;
}

export interface ThreadState {
  /** Oldest first. */
  messages: readonly StoredMessage[];
  /** Unknown until the first page answers. */
  hasOlder: boolean | undefined;
}

export interface IncomingMessage {
  node: MessageNode;
  cursor?: string;
}

function compareMessages(a: MessageNode, b: MessageNode): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

/**
 * Merges messages by id. A copy older than the one held (by updatedAt) is ignored, so a page that
 * was in flight cannot turn a live "delivered" back into "sending…".
 */
export function mergeMessages(current: readonly StoredMessage[], incoming: readonly IncomingMessage[], now: number): StoredMessage[] {
  const byId = new Map(current.map((s) => [s.message.id, s]));
  for (const { node, cursor } of incoming) {
    const held = byId.get(node.id);
    const newer = !held || held.message.updatedAt <= node.updatedAt;
    byId.set(node.id, {
      message: newer ? node : held.message,
      firstSeenAt: held?.firstSeenAt ?? now,
      cursor: cursor ?? held?.cursor,
    });
  }
  return [...byId.values()].sort((a, b) => compareMessages(a.message, b.message));
}

/** Where older messages start: before the oldest one that came with a cursor. */
export function olderCursor(thread: ThreadState): string | undefined {
  return thread.messages.find((s) => s.cursor)?.cursor;
}

const EMPTY: ThreadState = { messages: [], hasOlder: undefined };

/** The messages this window holds, per conversation, kept while it is open. */
export class MessageStore {
  private threads = new Map<string, Observable<ThreadState>>();

  thread(conversationId: string): Observable<ThreadState> {
    let t = this.threads.get(conversationId);
    if (!t) this.threads.set(conversationId, (t = new Observable(EMPTY)));
    return t;
  }

  upsert(conversationId: string, incoming: readonly IncomingMessage[], hasOlder?: boolean, now = Date.now()): void {
    const t = this.thread(conversationId);
    const state = t.get();
    t.set({
      messages: incoming.length ? mergeMessages(state.messages, incoming, now) : state.messages,
      hasOlder: hasOlder ?? state.hasOlder,
    });
  }

  /** Live changes are kept only for threads this window has shown: the others load when opened. */
  upsertIfTracked(conversationId: string, incoming: readonly IncomingMessage[]): void {
    if (this.threads.has(conversationId)) this.upsert(conversationId, incoming);
  }

  remove(conversationId: string, messageId: string): void {
    if (!this.threads.has(conversationId)) return;
    const t = this.thread(conversationId);
    const state = t.get();
    t.set({ ...state, messages: state.messages.filter((s) => s.message.id !== messageId) });
  }
}
