import { useRef, useState, type FormEvent } from 'react';
import { TextField } from '../../components/text-field.tsx';
import { setUp } from './auth-api.ts';
import { useAuth } from './auth-context.ts';

type Field = 'name' | 'email' | 'password';
const FIELDS: readonly Field[] = ['name', 'email', 'password'];

interface Props {
  token: string;
  /** Where the form goes: the set-up link's endpoint (the first operator) or an invitation's. */
  path?: '/auth/setup' | '/auth/join';
  /** The button's words. */
  action?: string;
  /** The link was used or replaced: nothing typed here can work any more. */
  onLinkInvalid: (message: string) => void;
}

/** Creates an operator with a one-time link (the server's set-up link, or an invitation), and signs them in. */
export function SetupForm({ token, onLinkInvalid, path = '/auth/setup', action = 'Create operator' }: Props) {
  const auth = useAuth();
  const [values, setValues] = useState<Record<Field, string>>({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const boxes = { name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null) };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const outcome = await setUp({ token, name: values.name.trim(), email: values.email.trim(), password: values.password }, path);
    setBusy(false);
    if (outcome.ok) {
      auth.signedIn(outcome.session);
      return;
    }
    if (outcome.kind === 'link-invalid') return onLinkInvalid(outcome.message);
    if (outcome.kind === 'failed') {
      setErrors({});
      setFormError(outcome.message);
      return;
    }
    // The link still works: each problem goes beside its field, and the first one gets the focus.
    const next: Partial<Record<Field, string>> = {};
    const other: string[] = [];
    for (const problem of outcome.errors) {
      const field = FIELDS.find((f) => f === problem.field);
      if (field) next[field] = next[field] ? `${next[field]} ${problem.message}` : problem.message;
      else other.push(problem.message);
    }
    setErrors(next);
    setFormError(other.length ? other.join(' ') : null);
    const first = FIELDS.find((f) => next[f]);
    if (first) boxes[first].current?.focus();
  };

  const field = (name: Field) => ({
    ref: boxes[name],
    name,
    value: values[name],
    error: errors[name],
    onChange: (e: { target: { value: string } }) => {
      setValues((v) => ({ ...v, [name]: e.target.value }));
      if (errors[name]) setErrors((x) => ({ ...x, [name]: undefined }));
    },
  });

  return (
    <form className="auth-form" onSubmit={submit} noValidate>
      <TextField label="Name" autoComplete="name" autoFocus hint="Shown beside the messages you send." {...field('name')} />
      <TextField label="Email" type="email" autoComplete="username" autoCapitalize="none" spellCheck={false} {...field('email')} />
      <TextField label="Password" type="password" autoComplete="new-password" hint="At least 10 characters." {...field('password')} />
      <div className="form-error" role="alert">
        {formError}
      </div>
      <button type="submit" className="primary-button wide" disabled={busy}>
        {action}
      </button>
    </form>
  );
}
