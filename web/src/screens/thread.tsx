import { useMemo } from 'react';
import { Avatar } from '../components/avatar.tsx';
import { BackIcon } from '../components/icons.tsx';
import { useInbox } from '../inbox-context.ts';
import { navigate } from '../lib/router.ts';
import { useObservable } from '../lib/store.ts';
import { isPhoneNumber } from '../lib/phone.ts';
import { Composer } from '../features/composer/composer.tsx';
import { useSend } from '../features/composer/use-send.ts';
import { contactOf, conversationTitle } from '../features/conversations/participants.ts';
import { MessageList } from '../features/messages/message-list.tsx';
import { threadItems } from '../features/messages/reconcile.ts';
import { useThread } from '../features/messages/use-thread.ts';

const wide = () => window.matchMedia('(min-width: 720px)').matches;

export function Thread({ id }: { id: string }) {
  const { conversation, thread, state, loadingOlder, loadOlder, reload } = useThread(id);
  const { pending } = useInbox();
  const allPending = useObservable(pending);
  const { retry } = useSend();
  const items = useMemo(
    () => threadItems(thread.messages, allPending.filter((p) => p.conversationId === id)),
    [thread.messages, allPending, id],
  );

  const back = (
    <button type="button" className="icon-button back" aria-label="Back to conversations" onClick={() => navigate({ view: 'list' })}>
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
  const title = conversationTitle(conversation);
  const sms = contact ? isPhoneNumber(contact) : conversation.participants.some(isPhoneNumber);
  // Without a known side of ours, either participant may be the one who cannot be texted.
  const stopped = contact ? (conversation.contact?.optedOut ? [contact] : []) : conversation.contacts.filter((c) => c.optedOut).map((c) => c.address);
  return (
    <section className="thread" aria-label={`Conversation with ${title}`}>
      <header className="thread-header">
        {back}
        <Avatar who={contact ?? conversation.participants[0] ?? '?'} size={36} />
        <div>
          <h2 className="thread-title">{title}</h2>
          <p className="thread-subtitle">
            {sms ? 'SMS' : 'Stored in Hatch only'}
            {contact === null && ' · choose who sends each reply'}
          </p>
        </div>
      </header>
      <MessageList
        items={items}
        ours={conversation.ours}
        hasOlder={thread.hasOlder}
        loadingOlder={loadingOlder}
        onLoadOlder={loadOlder}
        onRetry={retry}
      />
      {stopped.length > 0 && (
        <p className="notice" role="note">
          {stopped.join(' and ')} replied STOP: no text reaches them until they reply START.
        </p>
      )}
      <Composer
        key={id}
        target={{ kind: 'reply', conversationId: id, contact, participants: conversation.participants }}
        draftKey={id}
        autoFocus={wide()}
      />
    </section>
  );
}
