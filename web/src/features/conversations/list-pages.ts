import { compareConversations, type ConversationMap, type ConversationNode } from './conversation-store.ts';

/** What the list has loaded from the server for one search. */
export interface ListPages {
  search: string;
  /** Conversations that came in a page, with their cursors. */
  cursors: ReadonlyMap<string, string>;
  /** Unknown until the first page answers. */
  hasNextPage: boolean | undefined;
}

export function emptyPages(search: string): ListPages {
  return { search, cursors: new Map(), hasNextPage: undefined };
}

/**
 * Adds a page that continued the list, or (`replace`) one that re-read it from the top. Either way
 * the newest answer says whether more follow.
 */
export function addPage(pages: ListPages, edges: readonly { cursor: string; node: { id: string } }[], hasNextPage: boolean, replace = false): ListPages {
  const cursors = new Map(replace ? [] : pages.cursors);
  for (const e of edges) cursors.set(e.node.id, e.cursor);
  return { ...pages, cursors, hasNextPage };
}

/** The server's filter (participant contains the text, any case), for conversations that arrive live. */
export function matchesSearch(c: Pick<ConversationNode, 'participants'>, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return needle === '' || c.participants.some((p) => p.toLowerCase().includes(needle));
}

/**
 * The rows to show, in order. A conversation the window learnt of some other way (a live update,
 * an opened thread) joins the list when it sorts above the last loaded row; further down, the
 * rows between are not loaded yet and it would show up out of place, so it waits for its page.
 */
export function visibleConversations(all: ConversationMap, pages: ListPages): ConversationNode[] {
  if (pages.hasNextPage === undefined) return [];
  const matching = [...all.values()].filter((c) => matchesSearch(c, pages.search)).sort(compareConversations);
  if (!pages.hasNextPage) return matching;
  let last = -1;
  matching.forEach((c, i) => {
    if (pages.cursors.has(c.id)) last = i;
  });
  return matching.slice(0, last + 1);
}

/** Where the next page starts: after the last row shown that came with a cursor. */
export function nextCursor(visible: readonly ConversationNode[], pages: ListPages): string | undefined {
  for (let i = visible.length - 1; i >= 0; i--) {
    const cursor = pages.cursors.get(visible[i]!.id);
    if (cursor) return cursor;
  }
  return undefined;
}
