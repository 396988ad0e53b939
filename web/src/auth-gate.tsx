import { useEffect } from 'react';
import { AuthFrame } from './features/auth/auth-frame.tsx';
import { useAuth, useAuthState } from './features/auth/auth-context.ts';
import { currentAsNext, destination } from './features/auth/next-path.ts';
import { navigate, useRoute } from './lib/router.ts';
import { Join, Setup } from './screens/setup.tsx';
import { SignIn } from './screens/sign-in.tsx';
import { SignedIn } from './signed-in.tsx';

/** Shows the inbox to a signed-in person, and the sign-in (or set-up) page to anyone else. */
export function AuthGate() {
  const auth = useAuth();
  const state = useAuthState();
  const route = useRoute();
  const onAuthPage = route.view === 'sign-in' || route.view === 'setup' || route.view === 'join';

  useEffect(() => {
    if (state.status === 'signed-in' && onAuthPage) {
      const to = destination(route.view === 'sign-in' ? route.next : undefined);
      // Another page of the server (GraphiQL, say) needs a full load; the inbox's own pages do not.
      if (to.kind === 'load') window.location.replace(to.path);
      else navigate(to.route, { replace: true });
    } else if (state.status === 'signed-out' && !onAuthPage) {
      // A session that ended comes back to where the person was; one they ended starts in the inbox.
      navigate({ view: 'sign-in', next: state.byChoice ? undefined : currentAsNext() }, { replace: true });
    }
  }, [state, route, onAuthPage]);

  switch (state.status) {
    case 'checking':
      return null; // a few milliseconds: a blank page flashes less than a half-drawn one
    case 'unreachable':
      return (
        <AuthFrame title="Hatch cannot be reached">
          <p className="auth-text" role="alert">
            The server did not answer. It may be restarting, or this device may be offline.
          </p>
          <button type="button" className="primary-button wide" onClick={() => void auth.check()}>
            Try again
          </button>
        </AuthFrame>
      );
    case 'signed-out':
      if (route.view === 'setup') return <Setup />;
      return route.view === 'join' ? <Join /> : <SignIn ended={state.ended} />;
    case 'signed-in':
      return onAuthPage ? null : <SignedIn key={state.session.id} />;
  }
}
