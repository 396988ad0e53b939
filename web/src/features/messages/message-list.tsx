import './messages.css';
import { Fragment, useEffect, useRef } from 'react';
import { dayKey, dayLabel } from '../../lib/relative-time.ts';
import { useNow } from '../../lib/use-now.ts';
import { MessageBubble, PendingBubble } from './message-bubble.tsx';
import type { MessageNode } from './message-store.ts';
import type { ThreadItem } from './reconcile.ts';
import { useThreadScroll } from './use-thread-scroll.ts';
import { NoteBubble } from '../notes/note-bubble.tsx';

// Older messages start loading this close to the top.
const LOAD_OLDER_PX = 200;

interface Props {
  items: readonly ThreadItem[];
  /** Whether a message was written from this inbox's side. */
  isOurs: (m: MessageNode) => boolean;
  /** Neither side is known to be ours: each bubble names its sender, by this. */
  senderName: ((from: string) => string) | null;
  hasOlder: boolean | undefined;
  loadingOlder: boolean;
  /** The first load is done: the list opens at the unread line, or the newest message. */
  settled: boolean;
  /** The oldest message that was unread when the thread opened: the "unread from here" line goes above it. */
  firstUnreadId: string | null;
  onLoadOlder: () => void;
  onRetry: (key: string) => void;
  onDiscard: (key: string) => void;
  onResend: (m: MessageNode) => void;
  /** Whether the newest message is on screen: the thread is read only once it has been seen. */
  onSeenNewest: (seen: boolean) => void;
  /** The signed-in operator (a note of theirs is their own), and the team's names (mentions stand out). */
  me?: string | null;
  team?: readonly string[];
}

const keyOf = (i: ThreadItem) => (i.kind === 'message' ? i.stored.message.id : i.kind === 'note' ? `note:${i.note.id}` : `pending:${i.pending.key}`);
const timeOf = (i: ThreadItem) => (i.kind === 'message' ? i.stored.message.createdAt : i.kind === 'note' ? i.note.createdAt : new Date(i.pending.startedAt).toISOString());

/** The messages, oldest at the top; see useThreadScroll for where it is scrolled. */
export function MessageList(props: Props) {
  const { items, isOurs, senderName, hasOlder, loadingOlder, onLoadOlder } = props;
  const ref = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const line = useRef<HTMLLIElement>(null);
  const now = useNow(60_000);
  const last = items.at(-1);
  const scroll = useThreadScroll(ref, list, {
    first: items[0] && keyOf(items[0]),
    last: last && keyOf(last),
    lastIsOwn:
      last?.kind === 'pending' ||
      (last?.kind === 'note' && last.note.authorOperatorId != null && last.note.authorOperatorId === props.me) ||
      (last?.kind === 'message' && isOurs(last.stored.message)),
    settled: props.settled,
    anchor: line,
    onSeenNewest: props.onSeenNewest,
  });

  // Too few messages to scroll means no scrolling up to ask for more: ask now.
  useEffect(() => {
    const el = ref.current;
    if (el && hasOlder && !loadingOlder && el.scrollHeight <= el.clientHeight + LOAD_OLDER_PX) onLoadOlder();
  }, [hasOlder, loadingOlder, items.length, onLoadOlder]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    scroll.record(el);
    if (el.scrollTop < LOAD_OLDER_PX && hasOlder && !loadingOlder) onLoadOlder();
  };

  let previousDay: string | undefined;
  return (
    <div className="message-area">
      <div className="message-scroll" ref={ref} onScroll={onScroll} tabIndex={0} role="region" aria-label="Messages">
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
              const unreadHere = item.kind === 'message' && item.stored.message.id === props.firstUnreadId;
              return (
                <Fragment key={keyOf(item)}>
                  {divider && (
                    <li className="day-divider">
                      <span>{dayLabel(timeOf(item), now)}</span>
                    </li>
                  )}
                  {unreadHere && (
                    <li className="unread-line" ref={line} data-testid="unread-line">
                      <span>Unread from here</span>
                    </li>
                  )}
                  {item.kind === 'note' ? (
                    <NoteBubble note={item.note} team={props.team ?? []} />
                  ) : item.kind === 'message' ? (
                    <MessageBubble
                      message={item.stored.message}
                      ours={isOurs(item.stored.message)}
                      senderName={senderName?.(item.stored.message.from) ?? null}
                      onResend={props.onResend}
                    />
                  ) : (
                    <PendingBubble pending={item.pending} onRetry={props.onRetry} onDiscard={props.onDiscard} />
                  )}
                </Fragment>
              );
            })}
          </ol>
        </div>
      </div>
      {scroll.below > 0 && (
        <button type="button" className="new-messages" onClick={scroll.toBottom}>
          New messages <span aria-hidden="true">↓</span>
        </button>
      )}
    </div>
  );
}
