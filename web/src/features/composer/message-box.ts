import { useLayoutEffect, type KeyboardEvent, type RefObject } from 'react';

/** Grows a text box with its text up to a limit, then it scrolls inside. */
export function useAutoGrow(box: RefObject<HTMLTextAreaElement | null>, text: string): void {
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, 200)}px`;
  }, [box, text]);
}

/**
 * Esc in a box of the thread leaves it for the thread (the draft stays), so the thread's one-key
 * shortcuts work again and a second Esc goes back to the list. True when it did. Not while an
 * IME composes.
 */
export function leaveForThread(e: KeyboardEvent<HTMLTextAreaElement>): boolean {
  if (e.key !== 'Escape' || e.nativeEvent.isComposing) return false;
  const thread = e.currentTarget.closest('.thread')?.querySelector<HTMLElement>('.message-scroll');
  if (!thread) return false;
  e.preventDefault();
  thread.focus();
  return true;
}
