import { useEffect, useMemo } from 'react';
import { useInbox } from '../../inbox-context.ts';
import { setFaviconCount } from '../../lib/favicon.ts';
import { useObservable } from '../../lib/store.ts';
import { setTitlePrefix } from '../../lib/use-title.ts';
import { useUnseenMentions } from '../notes/mention-count.ts';

/** Unread messages across the conversations this window knows of (every one with news arrives live). */
export function useUnreadTotal(): number {
  const all = useObservable(useInbox().conversations);
  return useMemo(() => [...all.values()].reduce((n, c) => n + c.unreadCount, 0), [all]);
}

/** The unread count (and unseen mentions) in the tab's title, "(3) Hatch", and on its icon, so a background tab says there is news. */
export function UnreadBadge() {
  // Unseen mentions count too: a colleague asking for you is news like a customer writing.
  const total = useUnreadTotal() + useUnseenMentions();
  useEffect(() => {
    setTitlePrefix(total > 0 ? `(${total}) ` : '');
    setFaviconCount(total);
  }, [total]);
  useEffect(
    () => () => {
      setTitlePrefix('');
      setFaviconCount(0);
    },
    [],
  );
  return null;
}
