import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { TextField } from '../../components/text-field.tsx';
import type { SaveOutcome } from './use-saved-replies.ts';

interface Props {
  /** The reply being changed; absent for a new one. */
  editing?: { id: string; name: string; body: string };
  variables: readonly { name: string; description: string }[];
  save: (input: { id?: string; name: string; body: string }) => Promise<SaveOutcome>;
  onDone?: () => void;
}

/** Saving a reply, or changing one: a name to find it by after `/`, and its text with variables. */
export function SavedReplyForm({ editing, variables, save, onDone }: Props) {
  const [name, setName] = useState(editing?.name ?? '');
  const [body, setBody] = useState(editing?.body ?? '');
  const [errors, setErrors] = useState<{ name?: string; body?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const nameBox = useRef<HTMLInputElement>(null);
  const bodyBox = useRef<HTMLTextAreaElement>(null);
  const ids = { body: useId(), hint: useId(), error: useId() };

  useEffect(() => {
    if (editing) nameBox.current?.focus();
  }, [editing]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local = {
      name: name.trim() ? undefined : 'Give the reply a name to find it by, e.g. "Opening hours".',
      body: body.trim() ? undefined : 'Write the reply.',
    };
    if (local.name || local.body) {
      setErrors(local);
      (local.name ? nameBox : bodyBox).current?.focus();
      return;
    }
    setBusy(true);
    const outcome = await save({ id: editing?.id, name: name.trim(), body });
    setBusy(false);
    if (outcome.ok) {
      setErrors({});
      if (!editing) {
        setName('');
        setBody('');
      }
      onDone?.();
      return;
    }
    const of = (field: string | null) => outcome.errors.filter((x) => x.field === field).map((x) => x.message).join(' ') || undefined;
    const next = { name: of('name'), body: of('body'), form: outcome.errors.filter((x) => x.field !== 'name' && x.field !== 'body').map((x) => x.message).join(' ') || undefined };
    setErrors(next);
    if (next.name) nameBox.current?.focus();
    else if (next.body) bodyBox.current?.focus();
  };

  const describedBy = [errors.body ? ids.error : null, ids.hint].filter(Boolean).join(' ');
  return (
    <form className="reply-form" onSubmit={submit} noValidate aria-label={editing ? `Change the saved reply ${editing.name}` : 'New saved reply'}>
      <TextField
        ref={nameBox}
        label="Name"
        hint="Type / and the name in a message to use it."
        autoComplete="off"
        value={name}
        error={errors.name ?? null}
        onChange={(e) => setName(e.target.value)}
      />
      <div className="field">
        <label htmlFor={ids.body}>Text</label>
        <textarea
          id={ids.body}
          ref={bodyBox}
          rows={3}
          dir="auto"
          value={body}
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => setBody(e.target.value)}
        />
        {errors.body && (
          <p id={ids.error} className="field-error">
            {errors.body}
          </p>
        )}
        <p id={ids.hint} className="field-hint">
          Filled in when it is used: {variables.map((v, i) => (
            <span key={v.name}>
              {i > 0 && ', '}
              <code title={v.description}>{`{{${v.name}}}`}</code>
            </span>
          ))}
          . With a fallback for when there is none: <code>{'{{contact.first_name | there}}'}</code>.
        </p>
      </div>
      <div className="form-error" role="alert">
        {errors.form}
      </div>
      <div className="reply-form-actions">
        <button type="submit" className="primary-button" disabled={busy}>
          {editing ? 'Save changes' : 'Save reply'}
        </button>
        {editing && (
          <button type="button" className="secondary-button" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
