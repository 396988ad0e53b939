import { useId, useMemo, useState } from 'react';
import { BackIcon } from '../components/icons.tsx';
import { useInbox } from '../inbox-context.ts';
import { navigate } from '../lib/router.ts';
import { useObservable } from '../lib/store.ts';
import { PendingBubble } from '../features/messages/message-bubble.tsx';
import { Composer } from '../features/composer/composer.tsx';
import { useDraft } from '../features/composer/use-draft.ts';
import { useSend } from '../features/composer/use-send.ts';
import { checkRecipient, looksLikeSms, type FieldError } from '../features/composer/validation.ts';

/** Starts a conversation: a phone number sends an SMS, a name keeps it in Hatch only. */
export function NewMessage() {
  const [to, setTo] = useDraft('new:to');
  const [error, setError] = useState<FieldError | null>(null);
  const ids = { to: useId(), hint: useId(), error: useId() };
  const { pending } = useInbox();
  const { retry } = useSend();
  const all = useObservable(pending);
  const mine = useMemo(() => all.filter((p) => !p.conversationId && p.to === to.trim()), [all, to]);

  const check = (value: string) => {
    const result = checkRecipient(value);
    setError(result.ok ? null : result.error);
  };

  const hint = to.trim() === '' || looksLikeSms(to) ? 'Sent as SMS. Use + and the country code, e.g. +15551234567.' : 'A name: the conversation is kept in Hatch only; nothing is sent.';
  return (
    <section className="thread" aria-label="New message">
      <header className="thread-header">
        <button type="button" className="icon-button back" aria-label="Back to conversations" onClick={() => navigate({ view: 'list' })}>
          <BackIcon />
        </button>
        <h2 className="thread-title">New message</h2>
      </header>
      <div className="to-field">
        <label htmlFor={ids.to}>To</label>
        <div className="to-input">
          <input
            id={ids.to}
            type="text"
            inputMode="text"
            autoComplete="off"
            autoFocus
            placeholder="+15551234567 or a name"
            value={to}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids.error} ${ids.hint}` : ids.hint}
            onChange={(e) => {
              setTo(e.target.value);
              // Once a problem is shown, it goes away as soon as it is fixed.
              if (error) check(e.target.value);
            }}
            onBlur={() => to.trim() !== '' && check(to)}
          />
          {error && (
            <p id={ids.error} className="field-error" aria-live="polite">
              {error.message}
            </p>
          )}
          <p id={ids.hint} className="field-hint">
            {hint}
          </p>
        </div>
      </div>
      <div className="message-scroll">
        <ol className="messages">
          {mine.map((p) => (
            <PendingBubble key={p.key} pending={p} onRetry={retry} />
          ))}
        </ol>
      </div>
      <Composer
        target={{ kind: 'new', to }}
        draftKey="new"
        onRecipientError={(e) => {
          setError(e);
          document.getElementById(ids.to)?.focus();
        }}
        onSent={(message) => {
          setTo('');
          navigate({ view: 'thread', id: message.conversationId }, { replace: true });
        }}
      />
    </section>
  );
}
