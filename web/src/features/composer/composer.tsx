import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from 'urql';
import { SendIcon } from '../../components/icons.tsx';
import { graphql } from '../../gql/gql.ts';
import { useDebounced } from '../../lib/use-debounced.ts';
import type { MessageNode } from '../messages/message-store.ts';
import { smsCounter, storedCounter, type SegmentInfo } from './segment-display.ts';
import { useDraft } from './use-draft.ts';
import { useSend } from './use-send.ts';
import { bodyLength, checkBody, checkRecipient, looksLikeSms, type FieldError } from './validation.ts';

const SmsSegmentsQuery = graphql(/* GraphQL */ `
  query SmsSegments($body: String!) {
    smsSegments(body: $body) {
      encoding
      segments
      units
      perSegment
      remaining
    }
  }
`);

// What the server answers for an empty body (see SmsSegments in schema.graphql), so an empty
// composer needs no request.
const EMPTY_SEGMENTS: SegmentInfo = { encoding: 'GSM7', segments: 0, units: 0, perSegment: 160, remaining: 160 };

/** The server's segment count for the draft, asked for once typing pauses; the last answer meanwhile. */
function useSegments(body: string, active: boolean): SegmentInfo {
  const settled = useDebounced(body, 150);
  const [{ data }] = useQuery({ query: SmsSegmentsQuery, variables: { body: settled }, pause: !active || settled === '' });
  const [last, setLast] = useState(EMPTY_SEGMENTS);
  useEffect(() => {
    if (data) setLast(data.smsSegments);
  }, [data]);
  return body === '' ? EMPTY_SEGMENTS : last;
}

interface Props {
  /** The recipient: fixed in a thread, as typed in a new message. */
  to: string;
  draftKey: string;
  /** Where the recipient is typed, problems with it are shown there; otherwise here. */
  onRecipientError?: (error: FieldError) => void;
  onSent?: (message: MessageNode) => void;
  autoFocus?: boolean;
}

export function Composer({ to, draftKey, onRecipientError, onSent, autoFocus }: Props) {
  const [body, setBody] = useDraft(draftKey);
  const [error, setError] = useState<FieldError | null>(null);
  const { send } = useSend();
  const box = useRef<HTMLTextAreaElement>(null);
  const ids = { box: useId(), counter: useId(), error: useId() };

  const sms = looksLikeSms(to);
  const segments = useSegments(body, sms);
  const chars = bodyLength(body);
  const counter = sms ? smsCounter(segments, chars) : storedCounter(chars);

  // Grow with the text up to a limit, then scroll inside.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, 200)}px`;
  }, [body]);

  const submit = async () => {
    const recipient = checkRecipient(to);
    if (!recipient.ok) {
      if (onRecipientError) onRecipientError(recipient.error);
      else setError(recipient.error);
      return;
    }
    const bodyError = checkBody(body);
    if (bodyError) {
      setError(bodyError);
      box.current?.focus();
      return;
    }
    setError(null);
    const text = body;
    setBody('');
    box.current?.focus();
    const outcome = await send(recipient.recipient.to, text);
    if (outcome.kind === 'sent') onSent?.(outcome.message);
    if (outcome.kind !== 'rejected') return;
    // Nothing typed is lost: the text comes back unless something new was typed meanwhile.
    if (box.current && box.current.value === '') setBody(text);
    const shownThere = onRecipientError ? outcome.errors.filter((e) => e.field === 'to') : [];
    shownThere.forEach((e) => onRecipientError?.(e));
    const here = outcome.errors.filter((e) => !shownThere.includes(e));
    if (here.length) setError({ code: here[0]!.code, message: here.map((e) => e.message).join(' ') });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
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
      <div className="composer-row">
        <label htmlFor={ids.box} className="visually-hidden">
          Message
        </label>
        <textarea
          id={ids.box}
          ref={box}
          rows={1}
          value={body}
          placeholder={sms ? 'Text message' : 'Note (stored in Hatch only)'}
          autoFocus={autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            setBody(e.target.value);
            if (error && !checkBody(e.target.value)) setError(null);
          }}
          onKeyDown={onKeyDown}
        />
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
        <span className="counter-hint"> · Enter to send, Shift+Enter for a new line</span>
      </p>
    </form>
  );
}
