import { describe, expect, it } from 'vitest';
import { conversationNode } from '../../testing/fixtures.ts';
import { compareConversations, ConversationStore, type ConversationNode } from './conversation-store.ts';

function conversation(id: string, over: Partial<ConversationNode> = {}): ConversationNode {
  return conversationNode(id, '+15551234567', over);
}

describe('ConversationStore', () => {
  it('keeps a read receipt that arrived live over an older query result', () => {
    const store = new ConversationStore();
    store.upsert([conversation('a', { unreadCount: 0, lastReadAt: '2026-11-26T10:05:00.000Z' })]);
    store.upsert([conversation('a', { unreadCount: 2 })]);
    expect(store.get().get('a')?.unreadCount).toBe(0);
  });

  it('takes newer activity, and the later copy when nothing says which is newer', () => {
    const store = new ConversationStore();
    store.upsert([conversation('a', { unreadCount: 1 })]);
    store.upsert([conversation('a', { unreadCount: 2, lastMessageAt: '2026-11-26T10:01:00.000Z' })]);
    expect(store.get().get('a')?.unreadCount).toBe(2);
    store.upsert([conversation('a', { unreadCount: 3, lastMessageAt: '2026-11-26T10:01:00.000Z' })]);
    expect(store.get().get('a')?.unreadCount).toBe(3);
  });

  it('does not notify when nothing was taken', () => {
    const store = new ConversationStore();
    store.upsert([conversation('a', { lastMessageAt: '2026-11-26T11:00:00.000Z' })]);
    const before = store.get();
    store.upsert([conversation('a')]);
    expect(store.get()).toBe(before);
  });
});

describe('compareConversations', () => {
  it('puts the most recent first and breaks ties by id, descending', () => {
    const list = [
      conversation('a', { lastMessageAt: '2026-11-26T09:00:00.000Z' }),
      conversation('b', { lastMessageAt: '2026-11-26T11:00:00.000Z' }),
      conversation('c', { lastMessageAt: '2026-11-26T09:00:00.000Z' }),
    ].sort(compareConversations);
    expect(list.map((c) => c.id)).toEqual(['b', 'c', 'a']);
  });
});

describe('updateLastMessage', () => {
  const last = {
    id: 'm1',
    from: '+15005550006',
    to: '+15551234567',
    body: 'hi',
    direction: 'OUTBOUND' as const,
    channel: 'SMS' as const,
    status: 'SENDING' as const,
    sentBy: { kind: 'OPERATOR' as const, name: 'Ana', operatorId: null },
    createdAt: '2026-11-26T10:00:00.000Z',
    updatedAt: '2026-11-26T10:00:00.000Z',
    media: [],
  };
  const full = { ...last, conversationId: 'a', errorCode: null, errorMessage: null, segments: 1, encoding: 'GSM7' as const, media: [], sentBy: { kind: 'OPERATOR' as const, name: 'Ana' } };

  it("follows the last message's status", () => {
    const store = new ConversationStore();
    store.upsert([conversation('a', { lastMessage: last })]);
    store.updateLastMessage({ ...full, status: 'FAILED', updatedAt: '2026-11-26T10:00:02.000Z' });
    expect(store.get().get('a')?.lastMessage?.status).toBe('FAILED');
  });

  it("takes a change to the conversation committed before a delivery report that arrived first, and keeps the report", () => {
    const store = new ConversationStore();
    store.upsert([conversation('a', { lastMessage: last, lastMessageAt: last.createdAt, updatedAt: last.createdAt })]);
    // The message's status moved at :05; the conversation's scheduled messages changed in a
    // transaction that began at :03 and is announced after.
    store.updateLastMessage({ ...full, status: 'SENT', updatedAt: '2026-11-26T10:00:05.000Z' });
    store.upsert([conversation('a', { lastMessage: last, lastMessageAt: last.createdAt, updatedAt: '2026-11-26T10:00:03.000Z', scheduledChangedAt: '2026-11-26T10:00:03.000Z' })]);
    const now = store.get().get('a');
    expect(now?.scheduledChangedAt).toBe('2026-11-26T10:00:03.000Z');
    expect(now?.lastMessage?.status).toBe('SENT');
    // A copy older on both counts changes nothing.
    const before = store.get();
    store.upsert([conversation('a', { lastMessage: last, lastMessageAt: last.createdAt, updatedAt: last.createdAt })]);
    expect(store.get()).toBe(before);
  });

  it('leaves conversations alone when the message is not their last one', () => {
    const store = new ConversationStore();
    store.upsert([conversation('a', { lastMessage: last })]);
    const before = store.get();
    store.updateLastMessage({ ...full, id: 'older', status: 'DELIVERED', updatedAt: '2026-11-26T10:00:02.000Z' });
    store.updateLastMessage({ ...full, conversationId: 'unknown' });
    expect(store.get()).toBe(before);
  });
});
