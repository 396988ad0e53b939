import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { leaveForThread, useAutoGrow } from './message-box.ts';
import { SendIcon } from '../../components/icons.tsx';
import { ReplyPicker } from '../saved-replies/reply-picker.tsx';
import { useReplyPicker } from '../saved-replies/use-reply-picker.ts';
import '../saved-replies/saved-replies.css';
import type { MessageNode } from '../messages/message-store.ts';
import { goesBySms, recipientOf, type ComposeTarget } from './compose-target.ts';
import { smsCounter, storedCounter } from './segment-display.ts';
import { SendAs } from './send-as.tsx';
import { useDraft } from './use-draft.ts';
import { useSegments } from './use-segments.ts';
import { useRecipient } from './use-recipient.ts';
import { useSend, type SendError, type SendTarget } from './use-send.ts';
import { bodyLength, checkBody, checkRecipient, type FieldError } from './validation.ts';

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
  const box = useRef<HTMLTextAreaElement>(null);
  const firstSender = useRef<HTMLInputElement>(null);
  const ids = { box: useId(), counter: useId(), error: useId(), picker: useId() };
  const picker = useReplyPicker(target.kind === 'reply' ? target.conversationId : null, body, setBody, box);

  const choosesSender = target.kind === 'reply' && target.contact === null;
  const recipient = useRecipient(target.kind === 'new' ? target.to : '');
  const sms = goesBySms(target, sendAs, recipient.reading);
  const segments = useSegments(body, sms);
  const chars = bodyLength(body);
  const counter = sms ? smsCounter(segments, chars) : storedCounter(chars);

  useAutoGrow(box, body);

  /** Where to send, or null when something must be fixed first (and is shown). */
  const addressed = async (): Promise<SendTarget | null> => {
    if (target.kind === 'new') {
      // The server's reading of the recipient, with the refusal a send would meet; when the server
      // cannot be reached the message waits as unsent, and the server reads it when it is sent.
      const problem = checkRecipient(target.to) ?? (await recipient.read(target.to))?.error ?? null;
      if (!problem) return { to: target.to };
      if (onRecipientError) onRecipientError(problem);
      else setError(problem);
      return null;
    }
    const to = recipientOf(target, sendAs);
    if (to === undefined) {
      setSenderError('Choose who this message is from.');
      firstSender.current?.focus();
      return null;
    }
    return { conversationId: target.conversationId, to, ...(choosesSender && sendAs ? { from: sendAs } : {}) };
  };

  const submit = async () => {
    // The body first: it needs no answer from the server, so an empty message is flagged at once.
    const bodyError = checkBody(body);
    if (bodyError) {
      setError(bodyError);
      box.current?.focus();
      return;
    }
    const where = await addressed();
    if (!where) return;
    setError(null);
    setSenderError(null);
    const text = body;
    setBody('');
    typedSinceSend.current = false;
    box.current?.focus();
    const outcome = await send(where, text);
    if (outcome.kind === 'sent') onSent?.(outcome.message);
    if (outcome.kind !== 'rejected') return;
    // Nothing typed is lost: the text comes back unless something new was typed meanwhile.
    if (!typedSinceSend.current) setBody(text);
    // Each problem goes where it can be fixed: the recipient field, the sender choice, or here.
    const toField = onRecipientError ? outcome.errors.filter((e) => e.field === 'to') : [];
    toField.forEach((e) => onRecipientError?.(e));
    const fromField = choosesSender ? outcome.errors.filter((e) => e.field === 'from') : [];
    if (fromField.length) setSenderError(join(fromField));
    const here = outcome.errors.filter((e) => !toField.includes(e) && !fromField.includes(e));
    if (here.length) setError({ code: here[0]!.code, message: join(here) });
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

  const describedBy = [error ? ids.error : null, ids.counter].filter(Boolean).join(' ');
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
          placeholder={sms ? 'Text message' : 'Note (stored in Hatch only)'}
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
          onBlur={picker.close}
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
        <button type="submit" className="send-button" aria-label="Send">
          <SendIcon />
        </button>
      </div>
      {error && (
        <p id={ids.error} className="field-error" aria-live="polite">
          {error.message}
        </p>
      )}
      <p id={ids.counter} className={`counter${counter.over ? ' over' : ''}`} data-testid="segment-counter">
        {counter.text}
        <span className="counter-hint"> · Enter to send, Shift+Enter for a new line, / for a saved reply</span>
      </p>
    </form>
  );
}
