import '../saved-replies/saved-replies.css';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { safeDisplay } from '../../lib/bidi.ts';
import { leaveForThread, useAutoGrow } from '../composer/message-box.ts';
import { useDraft } from '../composer/use-draft.ts';
import { useTeam } from '../conversations/assignee.ts';
import { useAddNote } from './use-notes.ts';

const MAX_NOTE_CHARS = 4000;
// "@" and what follows it up to the caret, at the start or after a space or punctuation.
const AT_QUERY = /(?:^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_ .'’-]{0,40})$/u;

/** The `@query` the caret is in, if any: where its "@" is, and what follows. */
export function atQuery(text: string, caret: number): { start: number; query: string } | null {
  const m = AT_QUERY.exec(text.slice(0, caret));
  if (!m) return null;
  return { start: caret - m[1]!.length - 1, query: m[1]! };
}

/**
 * Writes an internal note: for the team, never sent. `@` and a name picks a colleague to mention
 * from a list (arrows, Enter or Tab, Esc), as the saved-reply picker does for `/`.
 */
export function NoteComposer({ conversationId, autoFocus, onTyping }: { conversationId: string; autoFocus?: boolean; onTyping?: () => void }) {
  const [body, setBody] = useDraft(`note:${conversationId}`);
  const team = useTeam();
  const add = useAddNote(conversationId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [at, setAt] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const ids = { box: useId(), hint: useId(), error: useId(), list: useId() };
  const matches = at ? team.filter((o) => o.name.toLowerCase().startsWith(at.query.toLowerCase())).slice(0, 8) : [];
  const open = at !== null && matches.length > 0;

  useAutoGrow(box, body);

  const track = (text: string, caret: number | null) => {
    const found = caret === null ? null : atQuery(text, caret);
    if (found?.query !== at?.query || found?.start !== at?.start) setActive(0);
    setAt(found);
  };

  const pick = (name: string) => {
    if (!at) return;
    const caret = at.start + 1 + at.query.length;
    const next = `${body.slice(0, at.start)}@${name} ${body.slice(caret)}`;
    const place = at.start + name.length + 2;
    // The caret goes after the name in the same task as the text: put off to the next frame, a
    // key typed meanwhile landed at the end and the rest before it ("@Bob an you…c").
    flushSync(() => {
      setBody(next);
      setAt(null);
    });
    box.current?.setSelectionRange(place, place);
  };

  const submit = async () => {
    if (busy) return;
    const text = body.trim();
    if (!text) {
      setError('Write something in the note.');
      box.current?.focus();
      return;
    }
    if ([...text].length > MAX_NOTE_CHARS) {
      setError(`A note can be at most ${MAX_NOTE_CHARS} characters.`);
      return;
    }
    setBusy(true);
    const outcome = await add(text);
    setBusy(false);
    if (outcome.ok) {
      setBody('');
      setError(null);
    } else setError(outcome.message);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(matches[active]!.name);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setAt(null);
        return;
      }
    }
    if (leaveForThread(e)) return;
    if (e.key !== 'Enter' || e.shiftKey) return;
    e.preventDefault();
    void submit();
  };

  return (
    <form
      className="composer note-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="composer-row">
        <label htmlFor={ids.box} className="visually-hidden">
          Internal note
        </label>
        <textarea
          id={ids.box}
          ref={box}
          rows={1}
          value={body}
          dir="auto"
          placeholder="Note for the team"
          autoFocus={autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={[error ? ids.error : null, ids.hint].filter(Boolean).join(' ')}
          aria-controls={open ? ids.list : undefined}
          aria-activedescendant={open ? `${ids.list}-${active}` : undefined}
          onChange={(e) => {
            setBody(e.target.value);
            if (error) setError(null);
            if (e.target.value.trim() !== '') onTyping?.();
            track(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => track(e.currentTarget.value, e.currentTarget.selectionStart)}
          onBlur={() => setAt(null)}
          onKeyDown={onKeyDown}
        />
        {open && (
          <>
            <ul className="reply-picker mention-picker" id={ids.list} role="listbox" aria-label="Mention a colleague">
              {matches.map((o, i) => (
                <li
                  key={o.id}
                  id={`${ids.list}-${i}`}
                  className="reply-option"
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(o.name)}
                >
                  <span className="reply-option-name">@{safeDisplay(o.name)}</span>
                </li>
              ))}
            </ul>
            <p className="visually-hidden" role="status">
              {`${matches.length} ${matches.length === 1 ? 'colleague' : 'colleagues'}: up and down arrows to choose, Enter to mention, Escape to close.`}
            </p>
          </>
        )}
        <button type="submit" className="send-button note-button" disabled={busy}>
          Add note
        </button>
      </div>
      {error && (
        <p id={ids.error} className="field-error" aria-live="polite">
          {error}
        </p>
      )}
      <p id={ids.hint} className="counter">
        Only the team sees notes · @ to mention a colleague · Enter to add
      </p>
    </form>
  );
}
