import { createContext, useContext, useEffect, useRef } from 'react';
import { ConversationStore } from './features/conversations/conversation-store.ts';
import { PendingStore } from './features/messages/pending-store.ts';
import { MessageStore } from './features/messages/message-store.ts';
import { ConnectionTracker } from './graphql/connection.ts';
import { useObservable } from './lib/store.ts';

/** What every view of one window shares besides the urql client. */
export interface Inbox {
  conversations: ConversationStore;
  messages: MessageStore;
  pending: PendingStore;
  connection: ConnectionTracker;
}

export function createInbox(connection: ConnectionTracker): Inbox {
  return { conversations: new ConversationStore(), messages: new MessageStore(), pending: new PendingStore(), connection };
}

export const InboxContext = createContext<Inbox | null>(null);

export function useInbox(): Inbox {
  const inbox = useContext(InboxContext);
  if (!inbox) throw new Error('useInbox needs an <InboxContext.Provider> above it');
  return inbox;
}

/**
 * Runs `reload` whenever the event stream comes back after a break: whatever happened while it was
 * down was never pushed, so each visible view reads its data again from the server.
 */
export function useReloadOnReconnect(reload: () => void): void {
  const { reconnects } = useObservable(useInbox().connection);
  const latest = useRef(reload);
  latest.current = reload;
  const seen = useRef(reconnects);
  useEffect(() => {
    if (reconnects === seen.current) return;
    seen.current = reconnects;
    latest.current();
  }, [reconnects]);
}
