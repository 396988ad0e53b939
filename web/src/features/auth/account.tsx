import { safeDisplay } from '../../lib/bidi.ts';
import { Avatar } from '../../components/avatar.tsx';
import { useAuthState } from './auth-context.ts';
import { SignOutButton } from './sign-out-button.tsx';
import './auth.css';

/** Who this window is signed in as, and the way out. */
export function Account() {
  const state = useAuthState();
  if (state.status !== 'signed-in') return null;
  const { name, email, authRequired } = state.session;
  return (
    <div className="account">
      <Avatar who={name} />
      <p className="account-who">
        <span className="account-name" data-testid="signed-in-name">
          {safeDisplay(name)}
        </span>
        {email && <span className="account-email">{email}</span>}
      </p>
      {authRequired ? <SignOutButton /> : <p className="account-note">Sign-in is turned off on this server (HATCH_AUTH=off).</p>}
    </div>
  );
}
