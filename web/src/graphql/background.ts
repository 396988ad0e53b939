import type { ConnectionTracker } from './connection.ts';
import type { LiveStream } from './live-stream.ts';

// A tab hidden this long gives its event stream back, if another tab of the inbox is on screen.
const PAUSE_HIDDEN_AFTER_MS = 60_000;
const CHANNEL = 'hatch-tabs';

/** What the inbox's tabs in one browser tell each other: asked whether one is on screen, or that one is, or is not any more. */
type Note = { kind: 'ask' | 'visible' | 'hidden'; from: string };

/**
 * Keeps a hidden tab listening, so its title, icon and notifications follow what arrives: the
 * stream is one connection for all of the tab's subscriptions, idling on a heartbeat. A tab hidden
 * for a minute gives it back only while another tab of the inbox in the same browser is on screen
 * and hears everything itself (over HTTP/1.1 a browser shares six connections per host among all
 * its tabs). When that tab is hidden or closed too, the paused ones listen again; each resumes
 * from where it left off.
 */
export function listenInBackground(stream: LiveStream, connection: ConnectionTracker): () => void {
  const id = Math.random().toString(36).slice(2);
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANNEL);
  const visible = () => document.visibilityState === 'visible';
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Hidden for a minute or more: it may pause whenever another tab says it is on screen.
  let longHidden = false;

  const post = (kind: Note['kind']) => channel?.postMessage({ kind, from: id } satisfies Note);
  const pause = () => {
    if (!longHidden || visible() || stream.paused) return;
    stream.pause();
    connection.paused();
  };
  const resume = () => {
    if (stream.paused) stream.resume();
  };

  const onNote = (e: MessageEvent<Note>) => {
    const note = e.data;
    if (note.from === id) return;
    if (note.kind === 'ask' && visible()) post('visible');
    else if (note.kind === 'visible') pause();
    // The tab on screen went away: listen again, unless yet another one is still there.
    else if (note.kind === 'hidden' && stream.paused) {
      resume();
      post('ask');
    }
  };
  const onChange = () => {
    clearTimeout(timer);
    if (visible()) {
      longHidden = false;
      resume();
      post('visible');
      return;
    }
    post('hidden');
    timer = setTimeout(() => {
      longHidden = true;
      post('ask');
    }, PAUSE_HIDDEN_AFTER_MS);
  };
  const onLeave = () => post('hidden');

  channel?.addEventListener('message', onNote);
  document.addEventListener('visibilitychange', onChange);
  window.addEventListener('pagehide', onLeave);
  onChange();
  return () => {
    clearTimeout(timer);
    onLeave();
    channel?.removeEventListener('message', onNote);
    channel?.close();
    document.removeEventListener('visibilitychange', onChange);
    window.removeEventListener('pagehide', onLeave);
  };
}
