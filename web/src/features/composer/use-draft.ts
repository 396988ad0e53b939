import { useCallback, useState } from 'react';

// Session storage: a draft survives a reload or a slip of the Back button, not the closing of the tab.

/** The draft kept under `key`: a conversation's id, or one of NEW_MESSAGE_DRAFT's. */
export function readDraft(key: string): string {
  try {
    return sessionStorage.getItem(`hatch:draft:${key}`) ?? '';
  } catch {
    return '';
  }
}

/**
 * Keeps `value` as the draft under `key` (nothing: none), for a composer that opens later; false
 * when the browser would not keep it.
 */
export function writeDraft(key: string, value: string): boolean {
  try {
    if (value) sessionStorage.setItem(`hatch:draft:${key}`, value);
    else sessionStorage.removeItem(`hatch:draft:${key}`);
    return true;
  } catch {
    // Storage can be full or blocked; the draft then lives only in memory.
    return false;
  }
}

/** Where the New message screen keeps what is typed in it: the recipient, the channel chosen, the message. */
export const NEW_MESSAGE_DRAFT = { to: 'new:to', channel: 'new:channel', body: 'new' } as const;

export function useDraft(key: string): [string, (value: string) => void] {
  const [state, setState] = useState(() => ({ key, value: readDraft(key) }));
  const value = state.key === key ? state.value : readDraft(key);
  const set = useCallback(
    (next: string) => {
      setState({ key, value: next });
      writeDraft(key, next);
    },
    [key],
  );
  return [value, set];
}
