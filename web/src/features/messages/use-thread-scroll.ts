import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

// Within this distance of the bottom, a new message scrolls into view and the newest counts as seen.
const STICK_PX = 120;
// Room left above the "unread from here" line when a thread opens at it.
const LINE_MARGIN_PX = 12;

interface Snapshot {
  height: number;
  top: number;
  first: string | undefined;
  last: string | undefined;
  atBottom: boolean;
}

export interface ThreadScrollOptions {
  first: string | undefined;
  last: string | undefined;
  /** The newest item is the reader's own (just sent): follow it even when scrolled up. */
  lastIsOwn: boolean;
  /** The first load is complete: the list may be positioned (at the unread line, or the newest). */
  settled: boolean;
  /** Where to open: the "unread from here" line, when there is one. */
  anchor: RefObject<HTMLElement | null>;
  /** Told whether the newest message is on screen, each time that changes. */
  onSeenNewest: (seen: boolean) => void;
}

/**
 * Where a thread is scrolled. It opens at its unread line (else at the newest message), keeps its
 * place by hand when older messages load above (browsers without scroll anchoring would leap),
 * follows new messages while the reader is at the bottom, and otherwise counts what arrived below
 * for a "new messages" marker. Whether the newest message is on screen decides when the thread has
 * been read.
 */
export function useThreadScroll(ref: RefObject<HTMLDivElement | null>, list: RefObject<HTMLElement | null>, o: ThreadScrollOptions) {
  const snap = useRef<Snapshot | null>(null);
  const positioned = useRef(false);
  const [below, setBelow] = useState(0);
  const [atBottom, setAtBottom] = useState(false);
  const seen = useRef(o.onSeenNewest);
  seen.current = o.onSeenNewest;

  const record = useCallback(
    (el: HTMLElement) => {
      const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
      snap.current = { height: el.scrollHeight, top: el.scrollTop, first: o.first, last: o.last, atBottom: bottom };
      setAtBottom(bottom);
      if (bottom) setBelow(0);
    },
    [o.first, o.last],
  );

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const prev = snap.current;
    if (!positioned.current) {
      if (!o.settled || !o.last) return;
      positioned.current = true;
      const line = o.anchor.current;
      el.scrollTop = line ? el.scrollTop + line.getBoundingClientRect().top - el.getBoundingClientRect().top - LINE_MARGIN_PX : el.scrollHeight;
    } else if (prev && prev.first !== o.first && prev.last === o.last) {
      el.scrollTop = prev.top + (el.scrollHeight - prev.height); // older ones above: stay put
    } else if (prev && prev.last !== o.last) {
      if (prev.atBottom || o.lastIsOwn) el.scrollTop = el.scrollHeight; // the reader was following along
      else setBelow((n) => n + 1);
    }
    record(el);
  });

  useEffect(() => seen.current(atBottom), [atBottom]);

  // Pictures that finish loading, a composer that grows, a window that narrows: whoever was
  // reading the newest message keeps seeing it.
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
  }, [ref, list]);

  const toBottom = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    record(el);
  }, [ref, record]);

  return { record, below, toBottom };
}
