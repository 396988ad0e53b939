import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { Observable, useObservable } from '../../lib/store.ts';
import { notifyAbout, useConversationNews } from '../notifications/desktop-notifications.ts';

const UnseenMentionsQuery = graphql(/* GraphQL */ `
  query UnseenMentions {
    viewer {
      unseenMentionCount
    }
  }
`);

/** How old a note may be and still be notified of. */
const FRESH_MS = 60_000;

// Asked again whenever a mention may have come or gone; every reader of the count follows.
const asks = new Observable(0);
export const refreshMentionCount = (): void => asks.set(asks.get() + 1);

/** Notes that mention the signed-in operator and that they have not seen yet. */
export function useUnseenMentions(): number {
  const ask = useObservable(asks);
  const [{ data }, reexecute] = useQuery({ query: UnseenMentionsQuery });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reexecute({ requestPolicy: 'network-only' });
  }, [ask, reexecute]);
  return data?.viewer.unseenMentionCount ?? 0;
}

/**
 * Watches for notes that mention the operator (each arrives as a conversation's `lastNote`): the
 * count is asked again, and while the tab is hidden with notifications on, each is a notification.
 */
export function MentionWatcher() {
  useConversationNews(
    (before, now) => [...now.values()].filter((c) => c.lastNote?.mentionsViewer && before.get(c.id)?.lastNote?.id !== c.lastNote.id),
    (mentions, notify) => {
      refreshMentionCount();
      if (!notify) return;
      // A page of conversations read later brings old notes too: only a note just written is news.
      for (const c of mentions.filter((m) => Date.now() - Date.parse(m.lastNote!.createdAt) < FRESH_MS)) {
        notifyAbout(c.id, `${c.lastNote!.authorName} mentioned you`, c.lastNote!.body, `note:${c.lastNote!.id}`);
      }
    },
  );
  return null;
}
