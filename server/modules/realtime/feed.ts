import type { Sql } from '../../db/database.ts';
import { cursorExpired } from '../../lib/errors.ts';
import { conversationChangesBetween, FEED_BATCH, messageChangesAfter, newestPosition, prunedThrough } from '../../db/tables/change-feed.ts';
import type { ConversationUpdateEvent, HatchPubSub, MessageUpdateEvent } from './pubsub.ts';
import { parseCursor, resumeAfter } from './resume.ts';

/**
 * What subscribers read of the change feed: live changes, or every change after a cursor and then
 * live ones. This is the one resume path: the GraphQL subscriptions call it, and through them every
 * transport (SSE, multipart, WebSocket, the old /api/events).
 */
export class ChangeFeed {
  constructor(
    private readonly db: Pick<Sql, 'query'>,
    private readonly pubsub: HatchPubSub,
  ) {}

  /** Message changes, everywhere or in one conversation, from `after` (a cursor) or from now. */
  messages(opts: { after?: string | null; conversationId?: string }): Promise<AsyncIterable<MessageUpdateEvent>> {
    const only = opts.conversationId;
    return this.follow(
      'messageUpdated',
      opts.after,
      only ? (e) => e.conversationId === only : undefined,
      (position) => messageChangesAfter(this.db, position, only),
    );
  }

  /** Conversation changes, from `after` (a cursor) or from now. */
  conversations(opts: { after?: string | null }): Promise<AsyncIterable<ConversationUpdateEvent>> {
    return this.follow('conversationUpdated', opts.after, undefined, (position) => conversationChangesBetween(this.db, position));
  }

  /** The newest position of the feed: a subscriber starting here misses nothing after it. */
  newest(): Promise<bigint> {
    return newestPosition(this.db);
  }

  /** Whether changes after `cursor` are all still kept (false once retention pruned past it). */
  async keeps(cursor: bigint): Promise<boolean> {
    return cursor >= (await prunedThrough(this.db));
  }

  private async follow<K extends 'messageUpdated' | 'conversationUpdated', T extends { cursor: string }>(
    topic: K,
    cursor: string | null | undefined,
    keep: ((e: T) => boolean) | undefined,
    readAfter: (position: bigint) => Promise<T[]>,
  ): Promise<AsyncIterable<T>> {
    const after = cursor == null ? undefined : parseCursor(cursor);
    if (after !== undefined && !(await this.keeps(after))) throw cursorExpired();
    const subscribed = this.pubsub.subscribe(topic) as unknown as AsyncIterableIterator<T>;
    const live = keep ? filtered(subscribed, keep) : subscribed;
    if (after === undefined) return live;
    return resumeAfter(after, live, readAfter, FEED_BATCH, () => this.keeps(after));
  }
}

/** The items of `source` that `keep` accepts; returning ends `source` too. */
function filtered<T>(source: AsyncIterableIterator<T>, keep: (item: T) => boolean): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || keep(result.value)) return result;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
