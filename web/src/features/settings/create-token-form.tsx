import { useId, useRef, useState, type FormEvent } from 'react';
import { TextField } from '../../components/text-field.tsx';
import type { TokenScope } from '../../gql/graphql.ts';
import type { CreateOutcome } from './use-api-tokens.ts';

interface Props {
  create: (name: string, scope: TokenScope) => Promise<CreateOutcome>;
  onCreated: (outcome: Extract<CreateOutcome, { ok: true }>) => void;
}

const SCOPES: { value: TokenScope; label: string; hint: string }[] = [
  { value: 'READ', label: 'Read', hint: 'Conversations, messages and live updates.' },
  { value: 'SEND', label: 'Read and send', hint: 'All of that, and sending messages.' },
];

export function CreateTokenForm({ create, onCreated }: Props) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('READ');
  const [nameError, setNameError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLInputElement>(null);
  const group = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (name.trim() === '') {
      setNameError('Give the token a name, e.g. the program that will use it.');
      box.current?.focus();
      return;
    }
    setBusy(true);
    const outcome = await create(name.trim(), scope);
    setBusy(false);
    if (outcome.ok) {
      setName('');
      setNameError(null);
      setFormError(null);
      onCreated(outcome);
      return;
    }
    const forName = outcome.errors.filter((x) => x.field === 'name');
    const other = outcome.errors.filter((x) => x.field !== 'name');
    setNameError(forName.length ? forName.map((x) => x.message).join(' ') : null);
    setFormError(other.length ? other.map((x) => x.message).join(' ') : null);
    if (forName.length) box.current?.focus();
  };

  return (
    <form className="token-form" onSubmit={submit} noValidate>
      <TextField
        ref={box}
        label="Token name"
        hint="What it is for, e.g. the program that will use it."
        autoComplete="off"
        value={name}
        error={nameError}
        onChange={(e) => {
          setName(e.target.value);
          if (nameError && e.target.value.trim()) setNameError(null);
        }}
      />
      <fieldset className="choice">
        <legend>Access</legend>
        {SCOPES.map((s) => (
          <label key={s.value} className="choice-option">
            <input type="radio" name={group} value={s.value} checked={scope === s.value} onChange={() => setScope(s.value)} />
            <span>
              <span className="choice-label">{s.label}</span>
              <span className="choice-hint">{s.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="form-error" role="alert">
        {formError}
      </div>
      <button type="submit" className="primary-button" disabled={busy}>
        Create token
      </button>
    </form>
  );
}
