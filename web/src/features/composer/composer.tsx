import './composer.css';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { leaveForThread, useAutoGrow } from './message-box.ts';
import { ClockIcon, SendIcon } from '../../components/icons.tsx';
import { randomId } from '../../lib/ids.ts';
import { useSchedule } from '../scheduling/use-schedule.ts';
import { formatWhen, fromLocalInput, suggestedTime, toLocalInput } from '../scheduling/when.ts';
import '../scheduling/scheduling.css';
import { ReplyPicker } from '../saved-replies/reply-picker.tsx';
import { useReplyPicker } from '../saved-replies/use-reply-picker.ts';
import '../saved-replies/saved-replies.css';
import type { MessageNode } from '../messages/message-store.ts';
import { channelOf, recipientOf, type ComposeTarget, type ShownAs } from './compose-target.ts';
import { smsCounter, storedCounter } from './segment-display.ts';
import { SendAs } from './send-as.tsx';
import { useDraft } from './use-draft.ts';
import { useSegments } from './use-segments.ts';
import { useRecipient, useSteadyReading } from './use-recipient.ts';
import { useSend, type SendError, type SendTarget } from './use-send.ts';
import { bodyLength, checkBody, checkRecipient, type FieldError } from './validation.ts';
import { channelLine } from '../whatsapp/channel.ts';
import { ChannelSwitch } from '../whatsapp/channel-switch.tsx';
import { TemplateComposer } from '../whatsapp/template-composer.tsx';
import { useFreeText } from '../whatsapp/use-free-text.ts';

interface Props {
  target: ComposeTarget;
  draftKey: string;
  /** Where the recipient is typed, problems with it are shown there; otherwise here. */
  onRecipientError?: (error: FieldError) => void;
  onSent?: (message: MessageNode) => void;
  autoFocus?: boolean;
  /** Called on each keystroke in the message box (colleagues see "typing…"). */
  onTyping?: () => void;
}

const join = (errors: readonly SendError[]) => errors.map((e) => e.message).join(' ');

export function Composer({ target, draftKey, onRecipientError, onSent, autoFocus, onTyping }: Props) {
  const [body, setBody] = useDraft(draftKey);
  // Whether anything was typed since the last send: a refused text comes back only into an empty box.
  const typedSinceSend = useRef(false);
  const [error, setError] = useState<FieldError | null>(null);
  const [sendAs, setSendAs] = useState<string | null>(null);
  const [senderError, setSenderError] = useState<string | null>(null);
  const { send } = useSend();
  const schedule = useSchedule();
  // "Send later": whether its time field is open, the time, and what it last said.
  const [later, setLater] = useState(false);
  const [when, setWhen] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  // Quiet hours refused the last send: when it may go, offered as a button.
  const [quietUntil, setQuietUntil] = useState<string | null>(null);
  // One key per message scheduled, so a retried request schedules it once.
  const scheduleKey = useRef(randomId());
  const box = useRef<HTMLTextAreaElement>(null);
  const firstSender = useRef<HTMLInputElement>(null);
  const ids = { box: useId(), counter: useId(), error: useId(), picker: useId(), when: useId(), notice: useId(), channel: useId() };
  // Whether the message box has the focus: if free text goes away meanwhile, the templates take it.
  const boxFocused = useRef(false);
  const picker = useReplyPicker(target.kind === 'reply' ? target.conversationId : null, body, setBody, box);

  const choosesSender = target.kind === 'reply' && target.contact === null;
  const recipient = useRecipient(target.kind === 'new' ? target.to : '', target.kind === 'new' ? target.channel : undefined);
  const reading = useSteadyReading(target.kind === 'new' ? target.to : '', recipient.reading);
  const channel = channelOf(target, sendAs, reading);
  const sms = channel === 'SMS';
  const segments = useSegments(body, sms);
  const chars = bodyLength(body);
  const counter = sms ? smsCounter(segments, chars) : storedCounter(chars);

  // Whom it reaches, as the page shows them: the server's reading of a new recipient, or the reply's.
  const to = recipientOf(target, sendAs);
  const shown: ShownAs | null =
    target.kind === 'new'
      ? reading?.display
        ? { display: reading.display, name: reading.contact?.name ?? null }
        : null
      : to !== undefined
        ? (target.shownAs?.(to) ?? { display: to, name: null })
        : null;
  // WhatsApp: free text only within 24 hours of the customer's last message, templates otherwise.
  const freeText = useFreeText(target, channel, reading, shown);
  // What the composer says of where it goes: the To field says it for a new conversation.
  const channelNote = [target.kind === 'reply' && channel !== 'INTERNAL' && shown ? channelLine(channel, shown.display, shown.name) : null, freeText.untilText]
    .filter(Boolean)
    .join(' · ');

  // In a thread with a phone number: the same number on the other channel, for this message.
  const switchChannel =
    target.kind === 'reply' ? <ChannelSwitch channel={channel} contact={target.contact} draft={body} onCarried={() => setBody('')} /> : null;

  useAutoGrow(box, body);

  /** Where to send, or null when something must be fixed first (and is shown). */
  const addressed = async (): Promise<SendTarget | null> => {
    if (target.kind === 'new') {
      // The server's reading of the recipient, with the refusal a send would meet; when the server
      // cannot be reached the message waits as unsent, and the server reads it when it is sent.
      const problem = checkRecipient(target.to) ?? (await recipient.read(target.to))?.error ?? null;
      if (!problem) return { to: target.to, ...(target.channel ? { channel: target.channel } : {}) };
      if (onRecipientError) onRecipientError(problem);
      else setError(problem);
      return null;
    }
    if (to === undefined) {
      setSenderError('Choose who this message is from.');
      firstSender.current?.focus();
      return null;
    }
    return { conversationId: target.conversationId, to, ...(choosesSender && sendAs ? { from: sendAs } : {}) };
  };

  /** Where what is typed goes, once the body and the recipient pass; null when something is shown to fix. */
  const ready = async (): Promise<SendTarget | null> => {
    // The body first: it needs no answer from the server, so an empty message is flagged at once.
    const bodyError = checkBody(body);
    if (bodyError) {
      setError(bodyError);
      box.current?.focus();
      return null;
    }
    return addressed();
  };

  const submit = async () => {
    const where = await ready();
    if (!where) return;
    setError(null);
    setSenderError(null);
    const text = body;
    setBody('');
    typedSinceSend.current = false;
    box.current?.focus();
    setNotice(null);
    setQuietUntil(null);
    const outcome = await send(where, text);
    if (outcome.kind === 'sent') onSent?.(outcome.message);
    if (outcome.kind !== 'rejected') return;
    const quiet = outcome.errors.find((e) => e.code === 'QUIET_HOURS' && e.availableAt);
    if (quiet) setQuietUntil(quiet.availableAt!);
    // Free text on WhatsApp outside the window: the composer turns to templates and says why there.
    const outside = outcome.errors.find((e) => e.code === 'OUTSIDE_SESSION_WINDOW');
    if (outside) freeText.refuse(outside.message);
    // Nothing typed is lost: the text comes back unless something new was typed meanwhile.
    if (!typedSinceSend.current) setBody(text);
    // Each problem goes where it can be fixed: the recipient field, the sender choice, or here.
    // Quiet hours are about when, not who: said here, beside the offer to send at the time it may go.
    const toField = onRecipientError ? outcome.errors.filter((e) => e.field === 'to' && e.code !== 'QUIET_HOURS') : [];
    toField.forEach((e) => onRecipientError?.(e));
    const fromField = choosesSender ? outcome.errors.filter((e) => e.field === 'from') : [];
    if (fromField.length) setSenderError(join(fromField));
    const here = outcome.errors.filter((e) => !toField.includes(e) && !fromField.includes(e) && e !== outside);
    if (here.length) setError({ code: here[0]!.code, message: join(here) });
  };

  /** Schedules what is typed: at the chosen time, or when the recipient's quiet hours end. */
  const scheduleWith = async (how: { sendAt: Date } | { deferIfQuiet: true }) => {
    const where = await ready();
    if (!where) return;
    const outcome = await schedule(where, body, how, scheduleKey.current);
    if (outcome.kind === 'unreachable') {
      setError({ code: 'UNREACHABLE', message: 'Hatch could not be reached: not scheduled. Try again.' });
      return;
    }
    if (outcome.kind === 'rejected') {
      const quiet = outcome.errors.find((e) => e.code === 'QUIET_HOURS' && e.availableAt);
      setQuietUntil(quiet?.availableAt ?? null);
      setError({ code: outcome.errors[0]?.code ?? 'REFUSED', message: join(outcome.errors) });
      return;
    }
    scheduleKey.current = randomId();
    setBody('');
    setError(null);
    setQuietUntil(null);
    setLater(false);
    setNotice(`Scheduled for ${formatWhen(outcome.sendAt)}.`);
    box.current?.focus();
  };

  const openLater = () => {
    if (later) return setLater(false);
    setWhen(toLocalInput(suggestedTime()));
    setLater(true);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // The / picker first: while it is open, arrows, Enter, Tab and Esc are its own.
    if (picker.onKeyDown(e)) return;
    // Esc leaves the message box for the thread (see leaveForThread).
    if (e.key === 'Escape') {
      leaveForThread(e);
      return;
    }
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition is neither.
    if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
    e.preventDefault();
    void submit();
  };

  if (freeText.templatesOnly) {
    return (
      <TemplateComposer
        key={freeText.key}
        where={
          target.kind === 'new'
            ? { to: target.to, channel: 'WHATSAPP' }
            : { conversationId: target.conversationId, to: to ?? '', ...(choosesSender && sendAs ? { from: sendAs } : {}) }
        }
        channelNote={target.kind === 'reply' && shown ? channelLine('WHATSAPP', shown.display, shown.name) : null}
        channelAction={switchChannel}
        explanation={freeText.explanation}
        refusal={freeText.refusal}
        takeFocus={boxFocused.current || autoFocus}
        onRecipientError={onRecipientError}
        onSent={onSent}
      />
    );
  }

  const describedBy = [channelNote ? ids.channel : null, error ? ids.error : null, ids.counter].filter(Boolean).join(' ');
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {choosesSender && target.kind === 'reply' && (
        <SendAs
          participants={target.participants}
          value={sendAs}
          error={senderError}
          firstRef={firstSender}
          onChange={(from) => {
            setSendAs(from);
            setSenderError(null);
          }}
        />
      )}
      {channelNote && (
        <div className="composer-channel-row">
          <p id={ids.channel} className="composer-channel" data-testid="composer-channel" dir="auto">
            {channelNote}
          </p>
          {switchChannel}
        </div>
      )}
      <div className="composer-row">
        <label htmlFor={ids.box} className="visually-hidden">
          Message
        </label>
        <textarea
          id={ids.box}
          ref={box}
          rows={1}
          value={body}
          dir="auto"
          placeholder={sms ? 'Text message' : channel === 'WHATSAPP' ? 'WhatsApp message' : 'Note (stored in Hatch only)'}
          autoFocus={autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          aria-controls={picker.open ? ids.picker : undefined}
          aria-activedescendant={picker.open && picker.matches.length ? `${ids.picker}-${picker.active}` : undefined}
          onChange={(e) => {
            setBody(e.target.value);
            typedSinceSend.current = true;
            if (e.target.value.trim() !== '') onTyping?.();
            if (error && !checkBody(e.target.value)) setError(null);
            picker.track(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => picker.track(e.currentTarget.value, e.currentTarget.selectionStart)}
          onFocus={() => (boxFocused.current = true)}
          onBlur={() => {
            boxFocused.current = false;
            picker.close();
          }}
          onKeyDown={onKeyDown}
        />
        {picker.open && (
          <ReplyPicker
            id={ids.picker}
            optionId={(i) => `${ids.picker}-${i}`}
            query={picker.query}
            state={picker.state}
            matches={picker.matches}
            active={picker.active}
            onPick={picker.pick}
          />
        )}
        <button type="button" className="later-button" aria-label="Send later" aria-expanded={later} onClick={openLater}>
          <ClockIcon />
        </button>
        <button type="submit" className="send-button" aria-label="Send">
          <SendIcon />
        </button>
      </div>
      {later && (
        <div
          className="send-later"
          role="group"
          aria-label="Send later"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.stopPropagation();
            setLater(false);
            box.current?.focus();
          }}
        >
          <label htmlFor={ids.when}>Send at</label>
          <input id={ids.when} type="datetime-local" value={when} autoFocus onChange={(e) => setWhen(e.target.value)} />
          <button
            type="button"
            className="secondary-button"
            onClick={() => {
              const at = fromLocalInput(when);
              if (!at) return setError({ code: 'INVALID_SEND_AT', message: 'Choose a date and time to send it.' });
              void scheduleWith({ sendAt: at });
            }}
          >
            Schedule
          </button>
          <button type="button" className="link-button" onClick={() => setLater(false)}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p id={ids.error} className="field-error" aria-live="polite">
          {error.message}
        </p>
      )}
      {quietUntil && (
        <button type="button" className="secondary-button" onClick={() => void scheduleWith({ deferIfQuiet: true })}>
          Send at {formatWhen(quietUntil)}
        </button>
      )}
      {notice && (
        <p id={ids.notice} className="composer-notice" role="status">
          {notice}
        </p>
      )}
      <p id={ids.counter} className={`counter${counter.over ? ' over' : ''}`} data-testid="segment-counter">
        {counter.text}
        <span className="counter-hint"> · Enter to send, Shift+Enter for a new line, / for a saved reply</span>
      </p>
    </form>
  );
}
