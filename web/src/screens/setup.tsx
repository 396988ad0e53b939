import { useState } from 'react';
import { RouteLink } from '../components/route-link.tsx';
import { AuthFrame } from '../features/auth/auth-frame.tsx';
import { SetupForm } from '../features/auth/setup-form.tsx';
import { useTitle } from '../lib/use-title.ts';

function tokenFromHash(): string {
  try {
    return decodeURIComponent(window.location.hash.slice(1)).trim();
  } catch {
    return '';
  }
}

interface LinkPage {
  title: string;
  /** The tab's title. */
  tab: string;
  intro: string;
  /** What the page says when the link is missing or no longer works, and what it offers instead. */
  missing: string;
  brokenTitle: string;
  signIn: string;
  path: '/auth/setup' | '/auth/join';
  action: string;
}

/**
 * A page opened from a one-time link (`/setup#<secret>`, `/join#<secret>`) that makes an operator.
 * The secret sits in the hash, which the browser never sends anywhere; it leaves the address bar
 * once used.
 */
function OneTimeLinkPage({ page }: { page: LinkPage }) {
  const [token] = useState(tokenFromHash);
  const [invalid, setInvalid] = useState<string | null>(token ? null : page.missing);
  useTitle(`${page.tab} · Hatch`);

  if (invalid) {
    return (
      <AuthFrame title={page.brokenTitle}>
        <p className="auth-text" role="alert">
          {invalid}
        </p>
        <p className="auth-text">
          {page.signIn} <RouteLink to={{ view: 'sign-in' }}>Sign in</RouteLink>.
        </p>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title={page.title}>
      <p className="auth-text">{page.intro}</p>
      <SetupForm token={token} onLinkInvalid={setInvalid} path={page.path} action={page.action} />
    </AuthFrame>
  );
}

const SETUP: LinkPage = {
  title: 'Set up Hatch',
  tab: 'Set up',
  intro: 'Create the first operator. You will be signed in as them, and can add API tokens for programs in Settings.',
  missing: 'This page needs the set-up link that Hatch printed when it started for the first time.',
  brokenTitle: 'This set-up link does not work',
  signIn: 'An operator may already exist:',
  path: '/auth/setup',
  action: 'Create operator',
};

const JOIN: LinkPage = {
  title: 'Join the team on Hatch',
  tab: 'Join the team',
  intro: "You have been invited to the team's inbox. Choose how you will sign in.",
  missing: 'This page needs the invitation link an admin of your team made for you.',
  brokenTitle: 'This invitation does not work',
  signIn: 'Already on the team?',
  path: '/auth/join',
  action: 'Join the team',
};

/** The first operator's page, opened from the link the server prints at its first start. */
export function Setup() {
  return <OneTimeLinkPage page={SETUP} />;
}

/**
 * Joining the team with an invitation an admin made: the colleague chooses their name, email and
 * password, and is signed in with the role the admin chose.
 */
export function Join() {
  return <OneTimeLinkPage page={JOIN} />;
}
