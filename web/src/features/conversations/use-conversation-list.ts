import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { ConversationFilter } from '../../gql/graphql.ts';
import { useInbox, useReloadOnGap, useRetryOnReconnect } from '../../inbox-context.ts';
import { useObservable } from '../../lib/store.ts';
import type { Whose } from './assignee.ts';
import { addPage, emptyPages, nextCursor, visibleConversations, type ListPages } from './list-pages.ts';

export const PAGE_SIZE = 20;
// A reload after a gap in the live feed re-reads what was on screen, within reason.
const MAX_RELOAD = 200;

const ConversationsQuery = graphql(/* GraphQL */ `
  query Conversations($first: Int!, $after: String, $search: String, $filter: ConversationFilter, $assignee: ConversationAssignee) {
    conversations(first: $first, after: $after, search: $search, filter: $filter, assignee: $assignee) {
      edges {
        cursor
        node {
          ...ConversationItem
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

/** The conversation list for a search and filter: pages on demand, live arrivals, reload after a gap in the live feed. */
export function useConversationList(search: string, filter: ConversationFilter, whose: Whose = 'ANYONE', me: string | null = null) {
  const client = useClient();
  const { conversations } = useInbox();
  const all = useObservable(conversations);
  const [pages, setPages] = useState<ListPages>(() => emptyPages(search, filter, whose, me));
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers for a search (or filter) that is no longer the current one are dropped.
  const key = `${filter}:${whose}:${search}`;
  const currentKey = useRef(key);
  currentKey.current = key;
  const inFlight = useRef(0);

  const load = useCallback(
    async (after: string | undefined, first: number, replace: boolean) => {
      inFlight.current++;
      setLoading(true);
      const result = await client
        .query(ConversationsQuery, { first, after, search: search.trim() || undefined, filter, assignee: whose }, { requestPolicy: 'network-only' })
        .toPromise();
      inFlight.current--;
      if (currentKey.current !== key) return;
      setLoading(inFlight.current > 0);
      const data = result.data?.conversations;
      if (!data) {
        setError('Could not load conversations.');
        return;
      }
      setError(null);
      conversations.upsert(data.edges.map((e) => e.node));
      setPages((p) => {
        const same = p.search === search && p.filter === filter && p.whose === whose;
        return addPage(same ? p : emptyPages(search, filter, whose, me), data.edges, data.pageInfo.hasNextPage, replace || !same);
      });
    },
    [client, conversations, search, filter, whose, me, key],
  );

  // A new search or filter replaces the pages when its first one answers; until then the rows
  // already loaded are shown filtered by it, rather than an empty list.
  useEffect(() => void load(undefined, PAGE_SIZE, true), [load]);
  const searching = pages.search !== search || pages.filter !== filter || pages.whose !== whose;
  const current = useMemo(() => (searching ? { ...pages, search, filter, whose, me } : pages), [pages, search, filter, whose, me, searching]);
  const visible = useMemo(() => visibleConversations(all, current, !searching), [all, current, searching]);

  useReloadOnGap(() => void load(undefined, Math.min(Math.max(current.cursors.size, PAGE_SIZE), MAX_RELOAD), true));
  useRetryOnReconnect(error !== null, () => void load(undefined, PAGE_SIZE, true));

  const loadMore = useCallback(() => {
    if (searching || inFlight.current > 0 || !current.hasNextPage) return;
    void load(nextCursor(visible, current), PAGE_SIZE, false);
  }, [current, load, searching, visible]);

  return {
    conversations: visible,
    loading,
    error,
    /** Undefined until the first page answers. */
    hasMore: current.hasNextPage,
    loadMore,
    retry: () => void load(undefined, PAGE_SIZE, true),
  };
}
