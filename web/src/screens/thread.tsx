import { useMemo, useState } from 'react';
import { BackIcon } from '../components/icons.tsx';
import { useInbox } from '../inbox-context.ts';
import { goBack, navigate } from '../lib/router.ts';
import { useObservable } from '../lib/store.ts';
import { useShortcut } from '../lib/use-shortcut.ts';
import { useTitle } from '../lib/use-title.ts';
import { safeDisplay } from '../lib/bidi.ts';
import { ContactEditor } from '../features/contacts/contact-editor.tsx';
import { PersonConversations } from '../features/contacts/person-conversations.tsx';
import { Composer } from '../features/composer/composer.tsx';
import { useSend } from '../features/composer/use-send.ts';
import { contactOf, conversationTitle, isOurs, nameOf, shownAs } from '../features/conversations/participants.ts';
import { ThreadHeader } from '../features/conversations/thread-header.tsx';
import { useConversationActions, type ConversationAction } from '../features/conversations/use-conversation-actions.ts';
import { MessageList } from '../features/messages/message-list.tsx';
import { threadItems } from '../features/messages/reconcile.ts';
import { useThread } from '../features/messages/use-thread.ts';
import { PresenceLine } from '../features/presence/presence-line.tsx';
import { useColleaguesHere, useReportPresence } from '../features/presence/use-presence.ts';
import '../features/presence/presence.css';
import { NoteComposer } from '../features/notes/note-composer.tsx';
import { ScheduledList } from '../features/scheduling/scheduled-list.tsx';
import { useNotes, useSeeMentions } from '../features/notes/use-notes.ts';
import { withNotes } from '../features/notes/with-notes.ts';
import { useIsAdmin, useMe, useTeam } from '../features/conversations/assignee.ts';
import '../features/notes/notes.css';

const wide = () => window.matchMedia('(min-width: 720px)').matches;

export function Thread({ id }: { id: string }) {
  const { conversation, thread, state, settled, firstUnreadId, loadingOlder, loadOlder, setSeenNewest, reload } = useThread(id);
  const { pending, conversations } = useInbox();
  const admin = useIsAdmin();
  const allPending = useObservable(pending);
  const { retry, resend } = useSend();
  const act = useConversationActions(id);
  const [editing, setEditing] = useState(false);
  const colleagues = useColleaguesHere(id);
  const typing = useReportPresence(id);
  const notes = useNotes(id);
  useSeeMentions(id, notes);
  const me = useMe();
  const team = useTeam();
  const teamNames = useMemo(() => team.map((o) => o.name), [team]);
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const items = useMemo(
    () => withNotes(threadItems(thread.messages, allPending.filter((p) => p.conversationId === id)), notes, thread.hasOlder),
    [thread.messages, thread.hasOlder, allPending, id, notes],
  );
  const title = conversation ? conversationTitle(conversation) : 'Conversation';
  useTitle(`${title} · Hatch`);

  const onAction = (action: ConversationAction) => {
    void act(action);
    // Read again at once otherwise: it is on screen.
    if (action === 'unread') goBack({ view: 'list' });
  };
  useShortcut('e', () => conversation && onAction(conversation.done ? 'open' : 'done'), conversation !== undefined);
  useShortcut('u', () => onAction('unread'), conversation !== undefined);
  useShortcut('Escape', () => goBack({ view: 'list' }));

  const back = (
    <button type="button" className="icon-button back" aria-label="Back to conversations" onClick={() => goBack({ view: 'list' })}>
      <BackIcon />
    </button>
  );

  if (state === 'missing' || state === 'error' || !conversation) {
    return (
      <section className="thread" aria-label="Conversation">
        <header className="thread-header">{back}</header>
        <div className="thread-empty">
          {state === 'missing' ? (
            <p>This conversation does not exist.</p>
          ) : state === 'error' ? (
            <p>
              Could not load this conversation.{' '}
              <button type="button" className="link-button" onClick={reload}>
                Try again
              </button>
            </p>
          ) : (
            <p>Loading…</p>
          )}
        </div>
      </section>
    );
  }

  const contact = contactOf(conversation) ?? null;
  // Without a known side of ours, either participant may be the one who cannot be texted.
  const stopped = contact ? (conversation.contact?.optOutNote ? [conversation.contact.optOutNote] : []) : conversation.contacts.flatMap((c) => (c.optOutNote ? [c.optOutNote] : []));
  return (
    <section className="thread" aria-label={`Conversation with ${title}`}>
      <ThreadHeader conversation={conversation} back={back} onAction={onAction} onEditContact={() => setEditing(true)} />
      {/* Only for a person with several addresses: nothing more to read for everyone else. */}
      {conversation.contact && conversation.contact.addresses.length > 1 && (
        <PersonConversations conversationId={id} address={conversation.contact.address} version={conversation.contact.addresses.map((a) => a.address).join(' ')} />
      )}
      <MessageList
        items={items}
        isOurs={(m) => isOurs(conversation, m)}
        senderName={conversation.ours === null ? (from) => nameOf(conversation, from) : null}
        hasOlder={thread.hasOlder}
        loadingOlder={loadingOlder}
        settled={settled}
        firstUnreadId={firstUnreadId}
        onLoadOlder={loadOlder}
        onRetry={retry}
        onDiscard={(key) => pending.remove(key)}
        onResend={(m) => void resend(m)}
        onSeenNewest={setSeenNewest}
        me={me}
        team={teamNames}
      />
      {/* Only a conversation that has had scheduled messages reads them. */}
      {conversation.scheduledChangedAt && <ScheduledList conversationId={id} version={conversation.scheduledChangedAt} />}
      <PresenceLine colleagues={colleagues} />
      {stopped.length > 0 && (
        <p className="notice" role="note" dir="auto">
          {safeDisplay(stopped.join(' '))}
        </p>
      )}
      <div className="compose-mode" role="group" aria-label="Write">
        <button type="button" aria-pressed={mode === 'reply'} onClick={() => setMode('reply')}>
          Reply
        </button>
        <button type="button" aria-pressed={mode === 'note'} onClick={() => setMode('note')}>
          Internal note
        </button>
      </div>
      {mode === 'note' ? (
        <NoteComposer key={`note:${id}`} conversationId={id} autoFocus onTyping={typing} />
      ) : (
        <Composer
          key={id}
          target={{
            kind: 'reply',
            conversationId: id,
            contact,
            participants: conversation.participants,
            channel: conversation.channel,
            freeTextUntil: conversation.freeTextUntil,
            shownAs: (address) => shownAs(conversation, address),
          }}
          draftKey={id}
          autoFocus={wide()}
          onTyping={typing}
        />
      )}
      {editing && conversation.contact && (
        <ContactEditor
          address={conversation.contact.address}
          display={conversation.contact.display}
          name={conversation.contact.name}
          notes={conversation.contact.notes}
          onClose={() => setEditing(false)}
          onErased={
            admin
              ? () => {
                  setEditing(false);
                  conversations.remove(id);
                  navigate({ view: 'list' }, { replace: true });
                }
              : undefined
          }
        />
      )}
    </section>
  );
}
