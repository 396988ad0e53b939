import { useState } from 'react';
import { useAuth } from './auth-context.ts';

export function SignOutButton() {
  const auth = useAuth();
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        className="secondary-button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const ok = await auth.signOut();
          // On success this button is gone along with the inbox.
          if (!ok) {
            setBusy(false);
            setFailed(true);
          }
        }}
      >
        Sign out
      </button>
      <span className="field-error" role="status">
        {failed ? 'Could not sign out: Hatch did not answer. Try again.' : ''}
      </span>
    </>
  );
}
