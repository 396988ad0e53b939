import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox, useReloadOnGap, useRetryOnReconnect } from '../../inbox-context.ts';
import { useObservable } from '../../lib/store.ts';
import { usePageVisible } from '../../lib/use-page-visible.ts';
import { olderCursor } from './message-store.ts';

const PAGE_SIZE = 30;
const MAX_RELOAD = 300;

const ThreadQuery = graphql(/* GraphQL */ `
  query Thread($id: ID!, $last: Int!, $before: String) {
    conversation(id: $id) {
      ...ConversationItem
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

const MarkReadMutation = graphql(/* GraphQL */ `
  mutation MarkConversationRead($id: ID!) {
    markConversationRead(id: $id) {
      conversation {
        ...ConversationItem
      }
      errors {
        code
        message
      }
    }
  }
`);

type LoadState = 'loading' | 'ready' | 'missing' | 'error';

/** One conversation's messages: newest page first, older on demand, read receipts. Live changes come from the message feed. */
export function useThread(id: string) {
  const client = useClient();
  const { conversations, messages } = useInbox();
  const conversation = useObservable(conversations).get(id);
  const thread = useObservable(messages.thread(id));
  const [state, setState] = useState<LoadState>(thread.hasOlder === undefined ? 'loading' : 'ready');
  const [loadingOlder, setLoadingOlder] = useState(false);
  const hasOlder = useRef(thread.hasOlder);
  hasOlder.current = thread.hasOlder;

  const load = useCallback(
    async (last: number, before: string | undefined) => {
      const result = await client.query(ThreadQuery, { id, last, before }, { requestPolicy: 'network-only' }).toPromise();
      const c = result.data?.conversation;
      if (!c) {
        const codes = result.error?.graphQLErrors.map((e) => e.extensions?.code) ?? [];
        setState(codes.includes('NOT_FOUND') || codes.includes('BAD_USER_INPUT') ? 'missing' : 'error');
        return;
      }
      const { messages: page, ...item } = c;
      conversations.upsert([item]);
      // A reload from the newest end only says whether anything precedes what it re-read.
      const olderExist = before || hasOlder.current === undefined ? page.pageInfo.hasPreviousPage : undefined;
      messages.upsert(id, page.edges, olderExist);
      setState('ready');
    },
    [client, conversations, id, messages],
  );

  useEffect(() => void load(PAGE_SIZE, undefined), [load]);

  useReloadOnGap(() => void load(Math.min(Math.max(thread.messages.length, PAGE_SIZE), MAX_RELOAD), undefined));
  useRetryOnReconnect(state === 'error', () => void load(PAGE_SIZE, undefined));

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

  useMarkRead(id, conversation?.unreadCount ?? 0);

  return { conversation, thread, state, loadingOlder, loadOlder, reload: () => void load(PAGE_SIZE, undefined) };
}

/** An open, visible thread has been read: here, and (through the server) in every other window. */
function useMarkRead(id: string, unreadCount: number) {
  const client = useClient();
  const { conversations } = useInbox();
  const visible = usePageVisible();
  const busy = useRef(false);
  // Messages that arrive while a receipt is in flight are not covered by it: look again after it.
  const [done, setDone] = useState(0);
  useEffect(() => {
    if (!visible || unreadCount === 0 || busy.current) return;
    busy.current = true;
    void client
      .mutation(MarkReadMutation, { id })
      .toPromise()
      .then((result) => {
        busy.current = false;
        const c = result.data?.markConversationRead.conversation;
        if (!c) return; // not retried in a loop; the next change or visit tries again
        conversations.upsert([c]);
        setDone((n) => n + 1);
      });
  }, [client, conversations, id, unreadCount, visible, done]);
}
