import { describe, expect, it } from 'vitest';
import { messageNode } from '../../testing/fixtures.ts';
import { mergeMessages, MessageStore, olderCursor, type MessageNode } from './message-store.ts';

const message = (id: string, over: Partial<MessageNode> = {}) => messageNode({ ...over, id });

describe('mergeMessages', () => {
  it('orders oldest first, by time then id', () => {
    const merged = mergeMessages(
      [],
      [
        { node: message('b', { createdAt: '2026-11-26T10:00:02.000Z' }) },
        { node: message('c', { createdAt: '2026-11-26T10:00:01.000Z' }) },
        { node: message('a', { createdAt: '2026-11-26T10:00:01.000Z' }) },
      ],
      1,
    );
    expect(merged.map((s) => s.message.id)).toEqual(['a', 'c', 'b']);
  });

  it('ignores a copy older than the one held, and keeps when it was first seen and its cursor', () => {
    const live = message('a', { status: 'DELIVERED', updatedAt: '2026-11-26T10:00:03.000Z' });
    const stale = message('a', { status: 'SENDING', updatedAt: '2026-11-26T10:00:01.000Z' });
    const first = mergeMessages([], [{ node: live }], 100);
    const merged = mergeMessages(first, [{ node: stale, cursor: 'k' }], 200);
    expect(merged).toEqual([{ message: live, firstSeenAt: 100, cursor: 'k' }]);
  });
});

describe('MessageStore', () => {
  it('keeps threads apart, removes deleted messages and knows where older ones start', () => {
    const store = new MessageStore();
    store.upsert('c', [{ node: message('a'), cursor: 'ka' }, { node: message('b') }], true, 1);
    store.upsert('other', [{ node: message('x') }], false, 1);
    expect(store.thread('c').get().messages).toHaveLength(2);
    expect(olderCursor(store.thread('c').get())).toBe('ka');
    store.remove('c', 'a');
    expect(store.thread('c').get().messages.map((s) => s.message.id)).toEqual(['b']);
    expect(store.thread('c').get().hasOlder).toBe(true);
  });

  it('keeps live changes only for threads this window has looked at', () => {
    const store = new MessageStore();
    store.upsertIfTracked('unseen', [{ node: message('a') }]);
    store.thread('seen');
    store.upsertIfTracked('seen', [{ node: message('b') }]);
    expect(store.thread('unseen').get().messages).toEqual([]);
    expect(store.thread('seen').get().messages).toHaveLength(1);
  });
});
