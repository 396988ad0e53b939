import { useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox } from '../../inbox-context.ts';
import { usePageVisible } from '../../lib/use-page-visible.ts';

// A receipt that failed (the network, a server restarting) is tried again after this long: the
// person has seen the messages, so the thread must not stay unread until something else changes.
const RETRY_MS = 2000;
const MAX_RETRIES = 5;

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
 *
 * Unread is what the conversation says (`unreadCount`), or an inbound message in the thread newer
 * than the viewer's last read: the thread's own messages can arrive before the conversation's
 * count does, and a receipt must not wait for that count (once per newest message, so a clock
 * that disagrees cannot make it ask again and again).
 */
export function useMarkRead(id: string, unreadCount: number, seenNewest: boolean, newestInbound?: string, lastReadAt?: string | null) {
  const client = useClient();
  const { conversations } = useInbox();
  const visible = usePageVisible();
  const busy = useRef(false);
  const failures = useRef(0);
  const askedFor = useRef<string | undefined>(undefined);
  // Messages that arrive while a receipt is in flight are not covered by it: look again after it.
  const [done, setDone] = useState(0);
  useEffect(() => {
    const newer = newestInbound !== undefined && newestInbound !== askedFor.current && (!lastReadAt || newestInbound > lastReadAt);
    if (!visible || !seenNewest || (unreadCount === 0 && !newer) || busy.current) return;
    busy.current = true;
    if (newer) askedFor.current = newestInbound;
    void client
      .mutation(MarkReadMutation, { id })
      .toPromise()
      .then((result) => {
        busy.current = false;
        const c = result.data?.markConversationRead.conversation;
        if (c) {
          failures.current = 0;
          conversations.upsert([c]);
          setDone((n) => n + 1);
          return;
        }
        // A refusal (the conversation is gone) is final; a failure is tried again a few times.
        if (result.data || ++failures.current > MAX_RETRIES) return;
        askedFor.current = undefined;
        setTimeout(() => setDone((n) => n + 1), RETRY_MS);
      });
  }, [client, conversations, id, unreadCount, visible, seenNewest, done, newestInbound, lastReadAt]);
}
