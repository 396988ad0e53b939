import { useEffect, useId, useRef } from 'react';
import '../contacts/contacts.css';

const SHORTCUTS: [string, string][] = [
  ['?', 'Show these shortcuts'],
  ['/', 'Search conversations'],
  ['n', 'New message'],
  ['↑ ↓', 'Move between conversations (Home, End: first, last)'],
  ['Enter', 'Open the conversation; in the message box, send'],
  ['Shift+Enter', 'New line in the message box'],
  ['e', 'Mark the open conversation done, or open again'],
  ['u', 'Mark the open conversation unread'],
  ['Esc', 'Back to the list; close this'],
];

/** The keyboard shortcuts, listed in a modal dialog (Esc or the button closes it). */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const title = useId();
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={title} onClose={onClose}>
      <h2 id={title} className="dialog-title">
        Keyboard shortcuts
      </h2>
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcut">
            <dt>
              {keys.split(' ').map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" className="primary-button" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
