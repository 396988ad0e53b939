import type { ConversationChange, MessageChange } from '../../db/tables/change-feed.ts';

/** One change to one message, as the `messageUpdated` subscription delivers it. */
export type MessageUpdateEvent = MessageChange;

/** One change to one conversation: its row as it was after the change. */
export type ConversationUpdateEvent = ConversationChange;

interface Topics {
  messageUpdated: MessageUpdateEvent;
  conversationUpdated: ConversationUpdateEvent;
}

// A subscription this far behind its own execution has stopped consuming; it ends rather than grow.
const MAX_QUEUED = 100_000;

export class SubscriptionOverflow extends Error {}

/**
 * The process's fan-out from the feed bridge to subscription executions. Yoga's createPubSub was
 * used before, but its Repeaters allow 1,024 unconsumed events and then throw inside publish: a
 * burst of changes (the bridge publishes a batch of up to a thousand in one go) while one execution
 * is busy or leaving would raise an uncaught error. Here each subscription has a queue of its own
 * that its execution drains, publish never throws, and leaving detaches at once.
 */
export class HatchPubSub {
  private readonly subscribers: { [K in keyof Topics]: Set<Queue<Topics[K]>> } = {
    messageUpdated: new Set(),
    conversationUpdated: new Set(),
  };

  publish<K extends keyof Topics>(topic: K, event: Topics[K]): void {
    for (const queue of this.subscribers[topic]) queue.push(event);
  }

  subscribe<K extends keyof Topics>(topic: K): AsyncIterableIterator<Topics[K]> {
    const set = this.subscribers[topic] as Set<Queue<Topics[K]>>;
    const queue = new Queue<Topics[K]>(() => set.delete(queue));
    set.add(queue);
    return queue;
  }

  /** Subscriptions listening to the feed now: each one's executions, not its subscribers. */
  listeners(): number {
    return this.subscribers.messageUpdated.size + this.subscribers.conversationUpdated.size;
  }
}

export function createHatchPubSub(): HatchPubSub {
  return new HatchPubSub();
}

class Queue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failed: ((err: unknown) => void) | undefined;
  private done = false;
  private error: unknown;

  constructor(private readonly detach: () => void) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failed = undefined;
      return resolve({ value: item, done: false });
    }
    if (this.items.length >= MAX_QUEUED) {
      this.error = new SubscriptionOverflow(`The subscription fell ${MAX_QUEUED} changes behind and was ended.`);
      return void this.finish();
    }
    this.items.push(item);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.error) return Promise.reject(this.error);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.detach();
    if (this.error && this.failed) this.failed(this.error);
    else this.waiting?.({ value: undefined, done: true });
    this.waiting = this.failed = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
