import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox, useReloadOnGap, useRetryOnReconnect } from '../../inbox-context.ts';
import { useObservable } from '../../lib/store.ts';
import { addPage, emptyPages, nextCursor, visibleConversations, type ListPages } from './list-pages.ts';

export const PAGE_SIZE = 20;
// A reload after a gap in the live feed re-reads what was on screen, within reason.
const MAX_RELOAD = 200;

const ConversationsQuery = graphql(/* GraphQL */ `
  query Conversations($first: Int!, $after: String, $search: String) {
    conversations(first: $first, after: $after, search: $search) {
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

/** The conversation list for a search: pages on demand, live arrivals, reload after a gap in the live feed. */
export function useConversationList(search: string) {
  const client = useClient();
  const { conversations } = useInbox();
  const all = useObservable(conversations);
  const [pages, setPages] = useState<ListPages>(() => emptyPages(search));
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers for a search that is no longer the current one are dropped.
  const currentSearch = useRef(search);
  currentSearch.current = search;
  const inFlight = useRef(0);

  const load = useCallback(
    async (after: string | undefined, first: number, replace: boolean) => {
      inFlight.current++;
      setLoading(true);
      const result = await client
        .query(ConversationsQuery, { first, after, search: search.trim() || undefined }, { requestPolicy: 'network-only' })
        .toPromise();
      inFlight.current--;
      if (currentSearch.current !== search) return;
      setLoading(inFlight.current > 0);
      const data = result.data?.conversations;
      if (!data) {
        setError('Could not load conversations.');
        return;
      }
      setError(null);
      conversations.upsert(data.edges.map((e) => e.node));
      setPages((p) => addPage(p.search === search ? p : emptyPages(search), data.edges, data.pageInfo.hasNextPage, replace || p.search !== search));
    },
    [client, conversations, search],
  );

  // A new search replaces the pages when its first one answers; until then the rows already
  // loaded are shown filtered by it, rather than an empty list.
  useEffect(() => void load(undefined, PAGE_SIZE, true), [load]);
  const searching = pages.search !== search;
  const current = useMemo(() => (searching ? { ...pages, search } : pages), [pages, search, searching]);
  const visible = useMemo(() => visibleConversations(all, current), [all, current]);

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
