import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { TextField } from '../../components/text-field.tsx';
import { safeDisplay } from '../../lib/bidi.ts';
import { useUpdateContact } from './use-update-contact.ts';
import { EraseContact } from './erase-contact.tsx';
import { ContactAddresses } from './contact-addresses.tsx';
import './contacts.css';

interface Props {
  /** The stored address (E.164 or a name); `display` is how it is written for people. */
  address: string;
  display: string;
  name: string | null;
  notes: string | null;
  onClose: () => void;
  /** Given to admins: erasing the contact, after which the thread is gone. */
  onErased?: () => void;
}

/**
 * Names a contact and keeps notes on them, in a modal dialog: the name shows instead of the
 * number everywhere, in every window.
 */
export function ContactEditor({ address, display, name, notes, onClose, onErased }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [draftName, setDraftName] = useState(name ?? '');
  const [draftNotes, setDraftNotes] = useState(notes ?? '');
  const [errors, setErrors] = useState<{ field: string | null; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const update = useUpdateContact();
  const ids = { title: useId(), notes: useId(), notesError: useId() };

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const outcome = await update(address, draftName, draftNotes);
    setBusy(false);
    if (outcome.ok) onClose();
    else setErrors(outcome.errors);
  };
  const errorOf = (field: string) => errors.filter((x) => x.field === field).map((x) => x.message).join(' ') || null;
  const general = errors.filter((x) => x.field !== 'name' && x.field !== 'notes').map((x) => x.message).join(' ');
  const notesError = errorOf('notes');

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={ids.title} onClose={onClose}>
      <form method="dialog" onSubmit={submit} noValidate>
        <h2 id={ids.title} className="dialog-title">
          Contact <span dir="auto">{safeDisplay(display)}</span>
        </h2>
        <TextField label="Name" dir="auto" autoComplete="off" value={draftName} error={errorOf('name')} onChange={(e) => setDraftName(e.target.value)} hint="Shown instead of the number or name, in every window." />
        <div className="field">
          <label htmlFor={ids.notes}>Notes</label>
          <textarea
            id={ids.notes}
            dir="auto"
            rows={4}
            value={draftNotes}
            aria-invalid={notesError ? true : undefined}
            aria-describedby={notesError ? ids.notesError : undefined}
            onChange={(e) => setDraftNotes(e.target.value)}
          />
          {notesError && (
            <p id={ids.notesError} className="field-error">
              {notesError}
            </p>
          )}
        </div>
        <div className="form-error" role="alert">
          {general}
        </div>
        <div className="dialog-actions">
          <button type="button" className="secondary-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary-button" disabled={busy}>
            Save contact
          </button>
        </div>
      </form>
      <ContactAddresses
        address={address}
        onChanged={(c) => {
          // What a merge or an undo made of the person is what Save would write next.
          if (c.name !== undefined) setDraftName(c.name ?? '');
          if (c.notes !== undefined) setDraftNotes(c.notes ?? '');
        }}
      />
      {onErased && <EraseContact address={address} who={name ?? display} onErased={onErased} />}
    </dialog>
  );
}
