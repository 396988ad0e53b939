import { useEffect, useState } from 'react';
import { Provider, type Client } from 'urql';
import { App } from './app.tsx';
import { useAuth, useAuthState } from './features/auth/auth-context.ts';
import { createHatchClient } from './graphql/client.ts';
import { createInbox, InboxContext, type Inbox } from './inbox-context.ts';

/**
 * The inbox for one signed-in session. The API client and its event stream exist only while it
 * does: opened after sign-in, closed on sign-out, and closed as soon as the server refuses the
 * session, so nothing keeps retrying with a session that is gone.
 */
export function SignedIn() {
  const auth = useAuth();
  const state = useAuthState();
  const scope = state.status === 'signed-in' ? state.session.id : undefined;
  const [live, setLive] = useState<{ client: Client; inbox: Inbox } | null>(null);
  useEffect(() => {
    const hatch = createHatchClient({ onSessionEnded: () => auth.ended() });
    setLive({ client: hatch.client, inbox: createInbox(hatch.connection, hatch.gaps, scope) });
    return () => hatch.dispose();
  }, [auth, scope]);
  if (!live) return null;
  return (
    <Provider value={live.client}>
      <InboxContext.Provider value={live.inbox}>
        <App />
      </InboxContext.Provider>
    </Provider>
  );
}
