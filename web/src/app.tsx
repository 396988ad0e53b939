import { ConnectionIndicator } from './components/connection-indicator.tsx';
import { AtIcon, GearIcon, PeopleIcon, PlusIcon } from './components/icons.tsx';
import { RouteLink } from './components/route-link.tsx';
import { NewMessage } from './screens/new-message.tsx';
import { Settings } from './screens/settings.tsx';
import { Mentions } from './screens/mentions.tsx';
import { Contacts } from './screens/contacts.tsx';
import { Person } from './screens/person.tsx';
import { MentionWatcher, useUnseenMentions } from './features/notes/mention-count.ts';
import { useMe } from './features/conversations/assignee.ts';
import { ConversationFeed } from './features/conversations/conversation-feed.ts';
import { ConversationList } from './features/conversations/conversation-list.tsx';
import { MessageFeed } from './features/messages/message-feed.ts';
import { UnsentMessages } from './features/composer/unsent-messages.ts';
import { UnreadBadge } from './features/notifications/unread-badge.ts';
import { SimulatedBadge } from './features/sms/sms-mode.tsx';
import { DesktopNotifier } from './features/notifications/desktop-notifications.ts';
import { Shortcuts } from './features/shortcuts/shortcuts.tsx';
import { Thread } from './screens/thread.tsx';
import { navigate, useRoute } from './lib/router.ts';

export function App() {
  const route = useRoute();
  const activeId = route.view === 'thread' ? route.id : undefined;
  // Mentions are between operators: with sign-in off (no team) or for a program there are none.
  const team = useMe() !== null;
  return (
    // On a narrow screen one pane shows at a time: the list, or whatever is open.
    <div className="app" data-view={route.view === 'list' ? 'list' : 'detail'}>
      <header className="topbar">
        <h1 className="brand">
          <span className="brand-mark" aria-hidden="true">
            H
          </span>
          Hatch
        </h1>
        <ConnectionIndicator />
        <SimulatedBadge />
        <button type="button" className="primary-button" onClick={() => navigate({ view: 'new' })}>
          <PlusIcon />
          <span>New message</span>
        </button>
        {team && <MentionsLink current={route.view === 'mentions'} />}
        <RouteLink to={{ view: 'contacts' }} className="topbar-link" aria-current={route.view === 'contacts' ? 'page' : undefined}>
          <PeopleIcon />
          <span>Contacts</span>
        </RouteLink>
        <RouteLink to={{ view: 'settings' }} className="topbar-link" aria-current={route.view === 'settings' ? 'page' : undefined}>
          <GearIcon />
          <span>Settings</span>
        </RouteLink>
      </header>
      <div className="panes">
        <ConversationList activeId={activeId} />
        <main className="detail-pane">
          {route.view === 'thread' ? (
            <Thread key={route.id} id={route.id} />
          ) : route.view === 'new' ? (
            <NewMessage />
          ) : route.view === 'mentions' ? (
            <Mentions />
          ) : route.view === 'contacts' ? (
            <Contacts />
          ) : route.view === 'person' ? (
            <Person key={route.address} address={route.address} />
          ) : route.view === 'settings' ? (
            <Settings />
          ) : (
            <div className="thread-empty">
              <p>Choose a conversation, or start a new one.</p>
            </div>
          )}
        </main>
      </div>
      <ConversationFeed />
      <MessageFeed />
      <UnsentMessages />
      <UnreadBadge />
      <DesktopNotifier />
      {team && <MentionWatcher />}
      <Shortcuts />
    </div>
  );
}

function MentionsLink({ current }: { current: boolean }) {
  const unseen = useUnseenMentions();
  return (
    <RouteLink to={{ view: 'mentions' }} className="topbar-link" aria-current={current ? 'page' : undefined}>
      <AtIcon />
      <span>Mentions</span>
      {unseen > 0 && (
        <b className="topbar-count">
          <i className="visually-hidden">, </i>
          {unseen}
          <i className="visually-hidden"> new</i>
        </b>
      )}
    </RouteLink>
  );
}
