import { useEffect } from 'react';
import { useInbox } from '../../inbox-context.ts';
import { useObservable } from '../../lib/store.ts';
import { useSend } from './use-send.ts';

/**
 * Looks after messages the server has not accepted yet, for as long as the window is open: sends
 * them once the event stream is live (on opening the page, which may have been reloaded with some
 * left over, and after every reconnect) or the browser is back online, and asks before the page is
 * left while any is still unsent. Retrying is safe: each keeps its idempotency key.
 */
export function UnsentMessages() {
  const { pending, connection } = useInbox();
  const { retryAll } = useSend();
  const { state, reconnects } = useObservable(connection);
  const waiting = useObservable(pending).length > 0;

  useEffect(() => {
    if (state === 'live') void retryAll();
  }, [state, reconnects, retryAll]);

  useEffect(() => {
    const onOnline = () => void retryAll();
    window.addEventListener('online', onOnline);
    const onStorage = (e: StorageEvent) => pending.forgetIfGone(e.key);
    window.addEventListener('storage', onStorage);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('storage', onStorage);
    };
  }, [pending, retryAll]);

  useEffect(() => {
    if (!waiting) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the dialog only when a value is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [waiting]);

  return null;
}
