import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { BackIcon } from '../components/icons.tsx';
import { useInbox } from '../inbox-context.ts';
import { goBack, navigate } from '../lib/router.ts';
import { useObservable } from '../lib/store.ts';
import { useTitle } from '../lib/use-title.ts';
import { PendingBubble } from '../features/messages/message-bubble.tsx';
import { Composer } from '../features/composer/composer.tsx';
import { RecipientConfirmation } from '../features/composer/recipient-confirmation.tsx';
import { NEW_MESSAGE_DRAFT, useDraft } from '../features/composer/use-draft.ts';
import { useRecipient } from '../features/composer/use-recipient.ts';
import { useSend } from '../features/composer/use-send.ts';
import { SmsMode } from '../features/sms/sms-mode.tsx';
import { useSmsSettings } from '../features/sms/use-sms-settings.ts';
import { ChannelChoice } from '../features/whatsapp/channel-choice.tsx';
import { WHATSAPP_PREFIX } from '../lib/phone.ts';
import { useRecipientSuggestions } from '../features/composer/recipient-suggestions.tsx';
import { checkRecipient, type FieldError } from '../features/composer/validation.ts';

/**
 * Starts a conversation: a phone number sends an SMS (or a WhatsApp message, where WhatsApp is set
 * up and chosen), a name keeps it in Hatch only.
 */
export function NewMessage() {
  const [to, setTo] = useDraft(NEW_MESSAGE_DRAFT.to);
  const [chosen, setChosen] = useDraft(NEW_MESSAGE_DRAFT.channel);
  const [error, setError] = useState<FieldError | null>(null);
  // Problems show once the person has left the field or tried to send, then follow what is typed.
  const [touched, setTouched] = useState(false);
  const ids = { to: useId(), hint: useId(), error: useId(), list: useId() };
  const { pending } = useInbox();
  const { retry } = useSend();
  // SMS or WhatsApp: offered once the server reads what is typed as a phone number (or as a contact
  // with one), and only where WhatsApp is set up; otherwise the recipient is read as typed.
  const whatsappOn = Boolean(useSmsSettings()?.whatsappFrom);
  const [numberLike, setNumberLike] = useState(false);
  const offered = whatsappOn && numberLike;
  const channel = offered ? (chosen === 'WHATSAPP' ? 'WHATSAPP' : 'SMS') : undefined;
  const { reading, read } = useRecipient(to, channel);
  useEffect(() => {
    if (to.trim() === '') setNumberLike(false);
    else if (reading) setNumberLike(reading.kind !== 'NAME');
  }, [to, reading]);
  // A WhatsApp address typed out ("whatsapp:+1…") chooses WhatsApp as it is typed.
  const typedBefore = useRef(to);
  useEffect(() => {
    const prefixed = (s: string) => s.trim().toLowerCase().startsWith(WHATSAPP_PREFIX);
    if (prefixed(to) && !prefixed(typedBefore.current)) setChosen('WHATSAPP');
    typedBefore.current = to;
  }, [to, setChosen]);
  const all = useObservable(pending);
  const mine = useMemo(() => all.filter((p) => !p.conversationId && p.to === to.trim()), [all, to]);
  useTitle('New message · Hatch');

  useEffect(() => {
    if (touched && reading) setError(reading.error ?? null);
  }, [touched, reading]);

  const suggestions = useRecipientSuggestions(to, ids.list, (s) => {
    // The number, not the name: two contacts of one name stay apart.
    setTo(s.display);
    setError(null);
  });

  const check = async (value: string) => {
    setTouched(true);
    setError(checkRecipient(value) ?? (await read(value))?.error ?? null);
  };

  return (
    <section className="thread" aria-label="New message">
      <header className="thread-header">
        <button type="button" className="icon-button back" aria-label="Back to conversations" onClick={() => goBack({ view: 'list' })}>
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
            dir="auto"
            autoComplete="off"
            autoFocus
            placeholder="(555) 123-4567, +44 7700 900123 or a name"
            value={to}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids.error} ${ids.hint}` : ids.hint}
            onChange={(e) => {
              setTo(e.target.value);
              // A problem shown goes away as soon as the text changes; the new text is read again.
              setError(null);
            }}
            onBlur={() => to.trim() !== '' && void check(to)}
            {...suggestions.inputProps}
          />
          {suggestions.list}
          {error && (
            <p id={ids.error} className="field-error" aria-live="polite">
              {error.message}
            </p>
          )}
          {offered && (
            <ChannelChoice
              value={channel!}
              onChange={(c) => {
                setChosen(c);
                setError(null);
              }}
            />
          )}
          <RecipientConfirmation id={ids.hint} typed={to} reading={reading} errorShown={error !== null} channel={channel} />
          <SmsMode />
        </div>
      </div>
      <div className="message-scroll">
        <ol className="messages">
          {mine.map((p) => (
            <PendingBubble key={p.key} pending={p} onRetry={retry} onDiscard={(key) => pending.remove(key)} />
          ))}
        </ol>
      </div>
      <Composer
        target={{ kind: 'new', to, channel }}
        draftKey={NEW_MESSAGE_DRAFT.body}
        onRecipientError={(e) => {
          setTouched(true);
          setError(e);
          document.getElementById(ids.to)?.focus();
        }}
        onSent={(message) => {
          setTo('');
          setChosen('');
          navigate({ view: 'thread', id: message.conversationId }, { replace: true });
        }}
      />
    </section>
  );
}
