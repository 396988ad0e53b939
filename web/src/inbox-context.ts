import { createContext, useContext, useEffect, useRef } from 'react';
import { ConversationStore } from './features/conversations/conversation-store.ts';
import { PendingStore } from './features/messages/pending-store.ts';
import { MessageStore } from './features/messages/message-store.ts';
import { ConnectionTracker } from './graphql/connection.ts';
import { FeedGaps } from './graphql/feed-gaps.ts';
import { useObservable } from './lib/store.ts';

/** What every view of one window shares besides the urql client. */
export interface Inbox {
  conversations: ConversationStore;
  messages: MessageStore;
  pending: PendingStore;
  connection: ConnectionTracker;
  gaps: FeedGaps;
}

/** `scope` (the signed-in person) keeps unsent messages across reloads; without it they live in memory. */
export function createInbox(connection: ConnectionTracker, gaps = new FeedGaps(), scope?: string): Inbox {
  return { conversations: new ConversationStore(), messages: new MessageStore(), pending: new PendingStore(scope), connection, gaps };
}

export const InboxContext = createContext<Inbox | null>(null);

export function useInbox(): Inbox {
  const inbox = useContext(InboxContext);
  if (!inbox) throw new Error('useInbox needs an <InboxContext.Provider> above it');
  return inbox;
}

/** Runs `effect` (its latest version) each time `value` changes after the first render. */
function useOnChange(value: number, effect: () => void): void {
  const latest = useRef(effect);
  latest.current = effect;
  const seen = useRef(value);
  useEffect(() => {
    if (value === seen.current) return;
    seen.current = value;
    latest.current();
  }, [value]);
}

/**
 * Runs `reload` whenever the live feed could not bring the window up to date by itself. After a
 * break in the event stream the feeds normally resume from their cursors, and what happened
 * meanwhile arrives as events; but a feed that had no event yet, or whose cursor had expired, could
 * not, so each visible view reads its data again from the server.
 */
export function useReloadOnGap(reload: () => void): void {
  useOnChange(useObservable(useInbox().gaps), reload);
}

/**
 * Runs `retry` when the event stream comes back after a break while `failed`: a view whose own read
 * failed during the break (the server could not be reached) tries again then, as it did when every
 * reconnect reloaded, rather than waiting for "Try again".
 */
export function useRetryOnReconnect(failed: boolean, retry: () => void): void {
  const { reconnects } = useObservable(useInbox().connection);
  useOnChange(reconnects, () => failed && retry());
}
