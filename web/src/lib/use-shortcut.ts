import { useEffect, useRef } from 'react';

/** Whether a key press is someone typing (into a field), rather than a shortcut. */
function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes((el as HTMLInputElement).type);
}

/**
 * A one-key shortcut for the whole page, while `enabled`: never while typing in a field, never with
 * Ctrl, Alt or Meta (the browser's and the system's), and not while a modal dialog is open.
 */
export function useShortcut(key: string, handler: (e: KeyboardEvent) => void, enabled = true): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== key || e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || typing(e)) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      latest.current(e);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [key, enabled]);
}
