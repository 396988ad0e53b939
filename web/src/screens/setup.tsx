import { useState } from 'react';
import { RouteLink } from '../components/route-link.tsx';
import { AuthFrame } from '../features/auth/auth-frame.tsx';
import { SetupForm } from '../features/auth/setup-form.tsx';
import { useTitle } from '../lib/use-title.ts';

const NO_TOKEN = 'This page needs the set-up link that Hatch printed when it started for the first time.';

function tokenFromHash(): string {
  try {
    return decodeURIComponent(window.location.hash.slice(1)).trim();
  } catch {
    return '';
  }
}

/**
 * The first operator's page, opened from the link the server prints (`/setup#<secret>`). The secret
 * sits in the hash, which the browser never sends anywhere; it leaves the address bar once used.
 */
export function Setup() {
  const [token] = useState(tokenFromHash);
  const [invalid, setInvalid] = useState<string | null>(token ? null : NO_TOKEN);
  useTitle('Set up · Hatch');

  if (invalid) {
    return (
      <AuthFrame title="This set-up link does not work">
        <p className="auth-text" role="alert">
          {invalid}
        </p>
        <p className="auth-text">
          An operator may already exist: <RouteLink to={{ view: 'sign-in' }}>Sign in</RouteLink>.
        </p>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title="Set up Hatch">
      <p className="auth-text">Create the first operator. You will be signed in as them, and can add API tokens for programs in Settings.</p>
      <SetupForm token={token} onLinkInvalid={setInvalid} />
    </AuthFrame>
  );
}
