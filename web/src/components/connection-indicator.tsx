import { useInbox } from '../inbox-context.ts';
import { useObservable } from '../lib/store.ts';

const LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', paused: 'Paused', failed: 'Disconnected' } as const;

/** Whether this window is hearing about changes as they happen. */
export function ConnectionIndicator() {
  const { state } = useObservable(useInbox().connection);
  return (
    <p className={`connection connection-${state}`} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[state]}
      {state === 'failed' && (
        <button type="button" className="link-button" onClick={() => window.location.reload()}>
          Reload
        </button>
      )}
    </p>
  );
}
