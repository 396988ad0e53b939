import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { fullTime, relativeTime } from '../../lib/relative-time.ts';
import { useNow } from '../../lib/use-now.ts';

const SessionsQuery = graphql(/* GraphQL */ `
  query MySessions {
    mySessions {
      id
      device
      address
      createdAt
      lastUsedAt
      current
    }
  }
`);

const SignOutSessionMutation = graphql(/* GraphQL */ `
  mutation SignOutSession($id: ID!) {
    signOutSession(id: $id) {
      signedOut
      errors {
        message
      }
    }
  }
`);

const SignOutOthersMutation = graphql(/* GraphQL */ `
  mutation SignOutOtherSessions {
    signOutOtherSessions {
      signedOut
    }
  }
`);

/**
 * Where the operator is signed in (a lost laptop is found here), with a sign-out for each other
 * browser and one for all of them. What an ended session has open closes at once.
 */
export function Sessions() {
  const now = useNow();
  const [{ data, error, fetching }, reload] = useQuery({ query: SessionsQuery, requestPolicy: 'network-only' });
  const [, signOut] = useMutation(SignOutSessionMutation);
  const [, signOutOthers] = useMutation(SignOutOthersMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const sessions = data?.mySessions ?? [];
  const after = (what: string) => {
    setDone(what);
    reload({ requestPolicy: 'network-only' });
  };
  const end = async (id: string, device: string) => {
    const result = await signOut({ id });
    const errors = result.data?.signOutSession.errors ?? [];
    if (!result.data || errors.length) return setProblem(errors[0]?.message ?? 'Hatch could not be reached. Try again.');
    setProblem(null);
    after(`The session on ${device} has ended.`);
  };
  const endOthers = async () => {
    const result = await signOutOthers({});
    if (!result.data) return setProblem('Hatch could not be reached. Try again.');
    setProblem(null);
    after(`Every other session has ended (${result.data.signOutOtherSessions.signedOut}).`);
  };

  if (error && !data) return <p className="list-note error">Your sessions could not be loaded.</p>;
  if (fetching && !data) return <p className="list-note">Loading…</p>;
  return (
    <>
      <ul className="sessions" aria-label="Where you are signed in">
        {sessions.map((s) => (
          <li key={s.id} className="session" data-testid="session">
            <div className="token-top">
              <h4 className="token-name">{safeDisplay(s.device)}</h4>
              {s.current && <span className="token-state token-state-working">This browser</span>}
            </div>
            <p className="token-meta">
              {s.address ? `From ${s.address} · ` : ''}Signed in <time dateTime={s.createdAt}>{fullTime(s.createdAt)}</time> · Last used{' '}
              <time dateTime={s.lastUsedAt} title={fullTime(s.lastUsedAt)}>
                {relativeTime(s.lastUsedAt, now)}
              </time>
            </p>
            {!s.current && (
              <button type="button" className="secondary-button" onClick={() => void end(s.id, s.device)}>
                End session<span className="visually-hidden"> on {safeDisplay(s.device)}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {sessions.length > 1 && (
        <button type="button" className="secondary-button" onClick={() => void endOthers()}>
          End every other session
        </button>
      )}
      <p className="field-error" role="alert">
        {problem ?? ''}
      </p>
      <p className="visually-hidden" role="status">
        {done}
      </p>
    </>
  );
}
