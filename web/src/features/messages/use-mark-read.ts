import { useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox } from '../../inbox-context.ts';
import { usePageVisible } from '../../lib/use-page-visible.ts';

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

/**
 * A thread has been read once its newest message has been on screen, in a tab the person can see:
 * opening a thread scrolled back to 200 unread messages reads none of them until they scroll down.
 * The server then tells every other window.
 */
export function useMarkRead(id: string, unreadCount: number, seenNewest: boolean) {
  const client = useClient();
  const { conversations } = useInbox();
  const visible = usePageVisible();
  const busy = useRef(false);
  // Messages that arrive while a receipt is in flight are not covered by it: look again after it.
  const [done, setDone] = useState(0);
  useEffect(() => {
    if (!visible || !seenNewest || unreadCount === 0 || busy.current) return;
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
  }, [client, conversations, id, unreadCount, visible, seenNewest, done]);
}
