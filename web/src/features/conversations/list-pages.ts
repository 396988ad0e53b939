import type { ConversationFilter } from '../../gql/graphql.ts';
import { compareConversations, type ConversationMap, type ConversationNode } from './conversation-store.ts';
import { matchesAssignee, type Whose } from './assignee.ts';
import { sameAddress } from './participants.ts';
import { isSnoozed } from './snooze.ts';

/** What the list has loaded from the server for one search and filter. */
export interface ListPages {
  search: string;
  filter: ConversationFilter;
  /** Whose conversations: anyone's, mine (`me`), or nobody's. */
  whose: Whose;
  me: string | null;
  /** Conversations that came in a page, with their cursors. */
  cursors: ReadonlyMap<string, string>;
  /** Unknown until the first page answers. */
  hasNextPage: boolean | undefined;
}

export function emptyPages(search: string, filter: ConversationFilter = 'ALL', whose: Whose = 'ANYONE', me: string | null = null): ListPages {
  return { search, filter, whose, me, cursors: new Map(), hasNextPage: undefined };
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

type Searchable = Pick<ConversationNode, 'participants'> & Partial<Pick<ConversationNode, 'ours' | 'contact' | 'participantContacts' | 'lastMessage'>>;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * The server's search, as far as a conversation that arrives live can be judged from what the
 * window holds: a side that is not ours by its address, its contact's name or its digits, or the
 * words of its last message (each a prefix). The server also finds words of older messages; such
 * a conversation shows once the list is read again.
 */
export function matchesSearch(c: Searchable, search: string): boolean {
  const needle = search.normalize('NFKC').trim().toLowerCase();
  if (needle === '') return true;
  const digits = /^(tel:)?[\s+\d().\/\-\u2010-\u2015\u2212]+$/i.test(needle) ? needle.replace(/\D/g, '') : '';
  const sides = c.participants.filter((p) => !c.ours || !sameAddress(p, c.ours));
  const names = [...sides, ...(c.participantContacts ?? []).filter((p) => sides.includes(p.address)).map((p) => p.displayName ?? ''), c.contact?.displayName ?? ''];
  if (names.some((n) => n.toLowerCase().includes(needle))) return true;
  if (digits.length >= 3 && sides.some((p) => p.startsWith('+') && p.includes(digits))) return true;
  const words = [...needle.matchAll(WORD)].map((m) => m[0]);
  const body = [...(c.lastMessage?.body.toLowerCase().matchAll(WORD) ?? [])].map((m) => m[0]);
  return words.length > 0 && words.every((w) => body.some((b) => ([...w].length > 1 ? b.startsWith(w) : b === w)));
}

/** The server's open / snoozed / done / all filter, for conversations that arrive live or change state. */
export function matchesFilter(c: Pick<ConversationNode, 'done' | 'snoozedUntil'>, filter: ConversationFilter, now = Date.now()): boolean {
  if (filter === 'ALL') return true;
  if (filter === 'DONE') return c.done;
  return !c.done && isSnoozed(c, now) === (filter === 'SNOOZED');
}

/**
 * The rows to show, in order. A conversation the window learnt of some other way (a live update,
 * an opened thread) joins the list when it sorts above the last loaded row; further down, the
 * rows between are not loaded yet and it would show up out of place, so it waits for its page.
 */
export function visibleConversations(all: ConversationMap, pages: ListPages, loadedForThisSearch = true): ConversationNode[] {
  if (pages.hasNextPage === undefined) return [];
  // A row the server returned for this search stays (it may match by an older message's words);
  // others join when they match as far as the window can tell.
  const searched = (c: ConversationNode) => (loadedForThisSearch && pages.cursors.has(c.id)) || matchesSearch(c, pages.search);
  const matching = [...all.values()].filter((c) => matchesFilter(c, pages.filter) && matchesAssignee(c, pages.whose, pages.me) && searched(c)).sort(compareConversations);
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
