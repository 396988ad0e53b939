import { useId, useRef, useState, type FormEvent } from 'react';
import { TextField } from '../../components/text-field.tsx';
import { signIn } from './auth-api.ts';
import { useAuth } from './auth-context.ts';

interface Problem {
  message: string;
  /** The field to fix; a wrong password concerns both, and the password is what gets retyped. */
  field: 'email' | 'password' | 'both' | null;
}

export function SignInForm() {
  const auth = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const emailBox = useRef<HTMLInputElement>(null);
  const passwordBox = useRef<HTMLInputElement>(null);
  const alertId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (email.trim() === '' || password === '') {
      const field = email.trim() === '' ? 'email' : 'password';
      setProblem({ field, message: field === 'email' ? 'Enter your email address.' : 'Enter your password.' });
      (field === 'email' ? emailBox : passwordBox).current?.focus();
      return;
    }
    setBusy(true);
    const outcome = await signIn(email.trim(), password);
    setBusy(false);
    if (outcome.ok) {
      auth.signedIn(outcome.session);
      return;
    }
    setProblem({ message: outcome.message, field: outcome.code === 'INVALID_CREDENTIALS' ? 'both' : null });
    if (outcome.code === 'INVALID_CREDENTIALS') {
      setPassword('');
      passwordBox.current?.focus();
    }
  };

  const on = (field: 'email' | 'password') => problem && (problem.field === field || problem.field === 'both');
  return (
    <form className="auth-form" onSubmit={submit} noValidate>
      <TextField
        ref={emailBox}
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        aria-invalid={on('email') ? true : undefined}
        describedBy={on('email') ? alertId : undefined}
      />
      <TextField
        ref={passwordBox}
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-invalid={on('password') ? true : undefined}
        describedBy={on('password') ? alertId : undefined}
      />
      {/* Always in the page, so a screen reader announces the text as soon as it changes. */}
      <div id={alertId} className="form-error" role="alert">
        {problem?.message}
      </div>
      <button type="submit" className="primary-button wide" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
