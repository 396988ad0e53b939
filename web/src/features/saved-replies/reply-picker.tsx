import { safeDisplay } from '../../lib/bidi.ts';
import type { PickerReply } from './use-reply-picker.ts';

interface Props {
  id: string;
  optionId: (index: number) => string;
  query: string;
  state: 'idle' | 'loading' | 'error' | 'ready';
  matches: readonly PickerReply[];
  active: number;
  onPick: (reply: PickerReply) => void;
}

/**
 * The saved replies a `/query` finds, as a listbox the message box controls: focus stays in the
 * box (aria-activedescendant names the chosen option), so typing goes on narrowing it.
 */
export function ReplyPicker({ id, optionId, query, state, matches, active, onPick }: Props) {
  const note =
    state === 'loading' || state === 'idle'
      ? 'Loading saved replies…'
      : state === 'error'
        ? 'Saved replies could not be loaded.'
        : matches.length === 0
          ? query
            ? `No saved reply matches “${safeDisplay(query)}”. Save replies in Settings.`
            : 'No saved replies yet. Save replies in Settings.'
          : null;
  return (
    <>
      <ul className="reply-picker" id={id} role="listbox" aria-label="Saved replies">
        {note ? (
          <li className="reply-picker-note" role="presentation">
            {note}
          </li>
        ) : (
          matches.map((r, i) => (
            <li
              key={r.id}
              id={optionId(i)}
              className="reply-option"
              role="option"
              aria-selected={i === active}
              // Keeps focus in the message box: the click picks without taking it away.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(r)}
            >
              <span className="reply-option-name">/{safeDisplay(r.name)}</span>
              <span className="reply-option-body">{safeDisplay(r.text)}</span>
            </li>
          ))
        )}
      </ul>
      <p className="visually-hidden" role="status">
        {note ?? `${matches.length} saved ${matches.length === 1 ? 'reply' : 'replies'}: up and down arrows to choose, Enter to put it in, Escape to close.`}
      </p>
    </>
  );
}
