import { describe, expect, it } from 'vitest';
import { conversationNode } from '../../testing/fixtures.ts';
import type { ConversationNode } from './conversation-store.ts';
import { addPage, emptyPages, matchesSearch, nextCursor, visibleConversations } from './list-pages.ts';

function conversation(id: string, minute: number, other = `+1555000${String(minute).padStart(4, '0')}`): ConversationNode {
  const at = new Date(Date.UTC(2026, 10, 26, 10, minute)).toISOString();
  return conversationNode(id, other, { lastMessageAt: at, updatedAt: at });
}

const byId = (...list: ConversationNode[]) => new Map(list.map((c) => [c.id, c]));
const edge = (c: ConversationNode) => ({ cursor: `cursor-${c.id}`, node: c });

describe('visibleConversations', () => {
  const [a, b, c, d] = [conversation('a', 40), conversation('b', 30), conversation('c', 20), conversation('d', 10)];

  it('shows nothing until the first page answers', () => {
    expect(visibleConversations(byId(a, b), emptyPages(''))).toEqual([]);
  });

  it('shows loaded rows in order, with newer live arrivals on top', () => {
    const pages = addPage(emptyPages(''), [edge(b), edge(c)], true);
    const live = conversation('z', 50);
    expect(visibleConversations(byId(a, b, c, live), pages).map((x) => x.id)).toEqual(['z', 'a', 'b', 'c']);
  });

  it('holds back a known conversation below the last loaded row until its page comes', () => {
    const pages = addPage(emptyPages(''), [edge(a), edge(b)], true);
    expect(visibleConversations(byId(a, b, d), pages).map((x) => x.id)).toEqual(['a', 'b']);
    const all = addPage(pages, [edge(c)], false);
    expect(visibleConversations(byId(a, b, c, d), all).map((x) => x.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reorders when a loaded conversation gets a new message', () => {
    const pages = addPage(emptyPages(''), [edge(a), edge(b), edge(c)], false);
    const bumped = conversation('c', 59);
    expect(visibleConversations(byId(a, b, bumped), pages).map((x) => x.id)).toEqual(['c', 'a', 'b']);
  });

  it('applies the search to live arrivals too', () => {
    const pages = addPage(emptyPages('ann'), [], false);
    const ann = conversation('x', 1, 'Ann Lee');
    expect(visibleConversations(byId(ann, a), pages).map((x) => x.id)).toEqual(['x']);
  });
});

describe('nextCursor', () => {
  it('continues after the last row shown that has a cursor', () => {
    const [a, b] = [conversation('a', 40), conversation('b', 30)];
    const pages = addPage(emptyPages(''), [edge(a)], true);
    expect(nextCursor([a, b], pages)).toBe('cursor-a');
    expect(nextCursor([], pages)).toBeUndefined();
  });
});

describe('matchesSearch', () => {
  it('matches any participant, ignoring case and surrounding space', () => {
    expect(matchesSearch({ participants: ['Operator', 'Front Desk'] }, ' front ')).toBe(true);
    expect(matchesSearch({ participants: ['+15005550006', '+15551234567'] }, '1234')).toBe(true);
    expect(matchesSearch({ participants: ['Operator', 'Front Desk'] }, 'lobby')).toBe(false);
  });
});
