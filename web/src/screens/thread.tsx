import { useMemo } from 'react';
import { Avatar } from '../components/avatar.tsx';
import { BackIcon } from '../components/icons.tsx';
import { useInbox } from '../inbox-context.ts';
import { navigate } from '../lib/router.ts';
import { useObservable } from '../lib/store.ts';
import { Composer } from '../features/composer/composer.tsx';
import { useSend } from '../features/composer/use-send.ts';
import { isPhoneNumber } from '../lib/phone.ts';
import { otherParticipant } from '../features/conversations/participants.ts';
import { MessageList } from '../features/messages/message-list.tsx';
import { threadItems } from '../features/messages/reconcile.ts';
import { useThread } from '../features/messages/use-thread.ts';

const wide = () => window.matchMedia('(min-width: 720px)').matches;

export function Thread({ id }: { id: string }) {
  const { conversation, thread, state, loadingOlder, loadOlder, reload } = useThread(id);
  const { pending } = useInbox();
  const allPending = useObservable(pending);
  const { retry } = useSend();
  const other = conversation ? otherParticipant(conversation) : undefined;
  const items = useMemo(
    () => threadItems(thread.messages, other ? allPending.filter((p) => p.to === other) : []),
    [thread.messages, allPending, other],
  );

  const back = (
    <button type="button" className="icon-button back" aria-label="Back to conversations" onClick={() => navigate({ view: 'list' })}>
      <BackIcon />
    </button>
  );

  if (state === 'missing' || state === 'error' || !conversation || !other) {
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

  const sms = isPhoneNumber(other);
  const optedOut = conversation.contacts.some((c) => c.address === other && c.optedOut);
  return (
    <section className="thread" aria-label={`Conversation with ${other}`}>
      <header className="thread-header">
        {back}
        <Avatar who={other} size={36} />
        <div>
          <h2 className="thread-title">{other}</h2>
          <p className="thread-subtitle">{sms ? 'SMS' : 'Stored in Hatch only'}</p>
        </div>
      </header>
      <MessageList items={items} hasOlder={thread.hasOlder} loadingOlder={loadingOlder} onLoadOlder={loadOlder} onRetry={retry} />
      {optedOut && (
        <p className="notice" role="note">
          {other} replied STOP: no text reaches them until they reply START.
        </p>
      )}
      <Composer key={id} to={other} draftKey={id} autoFocus={wide()} />
    </section>
  );
}
