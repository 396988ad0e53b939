import { Fragment, useEffect, useLayoutEffect, useRef } from 'react';
import { dayKey, dayLabel } from '../../lib/relative-time.ts';
import { useNow } from '../../lib/use-now.ts';
import { MessageBubble, PendingBubble } from './message-bubble.tsx';
import type { ThreadItem } from './reconcile.ts';

// Older messages start loading this close to the top.
const LOAD_OLDER_PX = 200;
// Within this distance of the bottom, a new message scrolls into view.
const STICK_PX = 120;

interface Props {
  items: readonly ThreadItem[];
  /** The conversation's side that is ours; null when neither is known to be. */
  ours: string | null;
  hasOlder: boolean | undefined;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (key: string) => void;
}

const keyOf = (i: ThreadItem) => (i.kind === 'message' ? i.stored.message.id : `pending:${i.pending.key}`);
const timeOf = (i: ThreadItem) => (i.kind === 'message' ? i.stored.message.createdAt : new Date(i.pending.startedAt).toISOString());
const isOwn = (i: ThreadItem | undefined, ours: string | null) => i?.kind === 'pending' || (i !== undefined && i.stored.message.from === ours);

interface Snapshot {
  height: number;
  top: number;
  first: string | undefined;
  last: string | undefined;
  atBottom: boolean;
}

/**
 * The messages, oldest at the top. Opening shows the newest; older ones load when scrolling up,
 * and the scroll position is kept by hand so the view does not jump (browsers without scroll
 * anchoring would otherwise leap to the top of the inserted page).
 */
export function MessageList({ items, ours, hasOlder, loadingOlder, onLoadOlder, onRetry }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const snap = useRef<Snapshot | null>(null);
  const now = useNow(60_000);
  const first = items[0] && keyOf(items[0]);
  const last = items.at(-1) && keyOf(items.at(-1)!);

  const record = (el: HTMLElement) => {
    snap.current = {
      height: el.scrollHeight,
      top: el.scrollTop,
      first,
      last,
      atBottom: el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX,
    };
  };

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const prev = snap.current;
    if (!prev?.last) {
      el.scrollTop = el.scrollHeight; // first messages in: start at the newest
    } else if (prev.first !== first && prev.last === last) {
      el.scrollTop = prev.top + (el.scrollHeight - prev.height); // older ones above: stay put
    } else if (prev.last !== last && (prev.atBottom || isOwn(items.at(-1), ours))) {
      el.scrollTop = el.scrollHeight; // a new one below, and the reader was following along
    }
    record(el);
  });

  // Pictures that finish loading, a composer that grows, a window that narrows: whoever was
  // reading the newest message keeps seeing it.
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !list.current || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (!snap.current?.atBottom) return;
      el.scrollTop = el.scrollHeight;
      snap.current = { ...snap.current, height: el.scrollHeight, top: el.scrollTop };
    });
    observer.observe(el);
    observer.observe(list.current);
    return () => observer.disconnect();
  }, []);

  // Too few messages to scroll means no scrolling up to ask for more: ask now.
  useEffect(() => {
    const el = ref.current;
    if (el && hasOlder && !loadingOlder && el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) onLoadOlder();
  }, [hasOlder, loadingOlder, items.length, onLoadOlder]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    record(el);
    if (el.scrollTop < LOAD_OLDER_PX && hasOlder && !loadingOlder) onLoadOlder();
  };

  let previousDay: string | undefined;
  return (
    <div className="message-scroll" ref={ref} onScroll={onScroll} tabIndex={0} aria-label="Messages">
      {/* Always there and always the same height, so its text changing does not move the messages. */}
      <p className="thread-start" aria-live="polite">
        {loadingOlder ? 'Loading earlier messages…' : hasOlder === false && items.length > 0 ? 'Start of the conversation' : ''}
      </p>
      {/* The log role sits on a wrapper: on the list itself it would hide the list from assistive technology. */}
      <div role="log">
        <ol className="messages" ref={list}>
          {items.map((item) => {
            const day = dayKey(timeOf(item));
            const divider = day !== previousDay;
            previousDay = day;
            return (
              <Fragment key={keyOf(item)}>
                {divider && (
                  <li className="day-divider">
                    <span>{dayLabel(timeOf(item), now)}</span>
                  </li>
                )}
                {item.kind === 'message' ? (
                  <MessageBubble message={item.stored.message} ours={item.stored.message.from === ours} nameSender={ours === null} />
                ) : (
                  <PendingBubble pending={item.pending} onRetry={onRetry} />
                )}
              </Fragment>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
