import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox, useReloadOnGap, useRetryOnReconnect } from '../../inbox-context.ts';
import { useObservable } from '../../lib/store.ts';
import { olderCursor } from './message-store.ts';
import { useMarkRead } from './use-mark-read.ts';

const PAGE_SIZE = 30;
const MAX_PAGE = 100;
const MAX_RELOAD = 300;
// How far back a thread opening at its unread line will read: beyond it, it opens at the oldest loaded.
const MAX_UNREAD_PAGES = 5;

const ThreadQuery = graphql(/* GraphQL */ `
  query Thread($id: ID!, $last: Int!, $before: String) {
    conversation(id: $id) {
      ...ConversationItem
      firstUnread {
        id
      }
      messages(last: $last, before: $before) {
        edges {
          cursor
          node {
            ...MessageBubble
          }
        }
        pageInfo {
          hasPreviousPage
        }
      }
    }
  }
`);

type LoadState = 'loading' | 'ready' | 'missing' | 'error';

/**
 * One conversation's messages: newest page first (enough to reach its unread messages), older on
 * demand, read receipts once the newest has been seen. Live changes come from the message feed.
 */
export function useThread(id: string) {
  const client = useClient();
  const { conversations, messages } = useInbox();
  const conversation = useObservable(conversations).get(id);
  const thread = useObservable(messages.thread(id));
  const [state, setState] = useState<LoadState>(thread.hasOlder === undefined ? 'loading' : 'ready');
  const [loadingOlder, setLoadingOlder] = useState(false);
  // Where the unread messages started when the thread opened: the line stays while it is open.
  const [firstUnreadId, setFirstUnreadId] = useState<string | null | undefined>(undefined);
  const [seenNewest, setSeenNewest] = useState(false);
  const hasOlder = useRef(thread.hasOlder);
  hasOlder.current = thread.hasOlder;

  const load = useCallback(
    async (last: number, before: string | undefined) => {
      const result = await client.query(ThreadQuery, { id, last, before }, { requestPolicy: 'network-only' }).toPromise();
      const c = result.data?.conversation;
      if (!c) {
        const codes = result.error?.graphQLErrors.map((e) => e.extensions?.code) ?? [];
        setState(codes.includes('NOT_FOUND') || codes.includes('BAD_USER_INPUT') ? 'missing' : 'error');
        return undefined;
      }
      const { messages: page, firstUnread, ...item } = c;
      conversations.upsert([item]);
      // A reload from the newest end only says whether anything precedes what it re-read.
      const olderExist = before || hasOlder.current === undefined ? page.pageInfo.hasPreviousPage : undefined;
      messages.upsert(id, page.edges, olderExist);
      return { firstUnread: firstUnread?.id ?? null, cursor: page.edges[0]?.cursor, hasPrevious: page.pageInfo.hasPreviousPage };
    },
    [client, conversations, id, messages],
  );

  // Opening: enough of the newest messages to include the unread ones, a few pages at most.
  useEffect(() => {
    let stale = false;
    void (async () => {
      const unread = conversations.get().get(id)?.unreadCount ?? 0;
      let page = await load(Math.min(Math.max(PAGE_SIZE, unread + 10), MAX_PAGE), undefined);
      const target = page?.firstUnread ?? null;
      for (let i = 0; page && target && page.hasPrevious && i < MAX_UNREAD_PAGES; i++) {
        if (messages.thread(id).get().messages.some((s) => s.message.id === target)) break;
        page = await load(MAX_PAGE, olderCursor(messages.thread(id).get()));
      }
      if (stale || !page) return;
      setFirstUnreadId(target);
      setState('ready');
    })();
    return () => {
      stale = true;
    };
  }, [load, conversations, id, messages]);

  useReloadOnGap(() => void load(Math.min(Math.max(thread.messages.length, PAGE_SIZE), MAX_RELOAD), undefined));
  useRetryOnReconnect(state === 'error', () => void load(PAGE_SIZE, undefined).then((p) => p && setState('ready')));

  const olderInFlight = useRef(false);
  const loadOlder = useCallback(async () => {
    const before = olderCursor(thread);
    if (olderInFlight.current || !thread.hasOlder || !before) return;
    olderInFlight.current = true;
    setLoadingOlder(true);
    await load(PAGE_SIZE, before);
    olderInFlight.current = false;
    setLoadingOlder(false);
  }, [load, thread]);

  const settled = state === 'ready' && firstUnreadId !== undefined;
  const newestInbound = useMemo(() => {
    for (let i = thread.messages.length - 1; i >= 0; i--) {
      const m = thread.messages[i]!.message;
      if (m.direction === 'INBOUND') return m.createdAt;
    }
    return undefined;
  }, [thread.messages]);
  useMarkRead(id, conversation?.unreadCount ?? 0, settled && seenNewest, conversation ? newestInbound : undefined, conversation?.lastReadAt);

  return {
    conversation,
    thread,
    state,
    settled,
    firstUnreadId: firstUnreadId ?? null,
    loadingOlder,
    loadOlder,
    setSeenNewest,
    reload: () => void load(PAGE_SIZE, undefined).then((p) => p && setState('ready')),
  };
}
