import { useCallback, useState } from 'react';

// Session storage: a draft survives a reload or a slip of the Back button, not the closing of the tab.
function read(key: string): string {
  try {
    return sessionStorage.getItem(`hatch:draft:${key}`) ?? '';
  } catch {
    return '';
  }
}

function write(key: string, value: string): void {
  try {
    if (value) sessionStorage.setItem(`hatch:draft:${key}`, value);
    else sessionStorage.removeItem(`hatch:draft:${key}`);
  } catch {
    // Storage can be full or blocked; the draft then lives only in memory.
  }
}

export function useDraft(key: string): [string, (value: string) => void] {
  const [state, setState] = useState(() => ({ key, value: read(key) }));
  const value = state.key === key ? state.value : read(key);
  const set = useCallback(
    (next: string) => {
      setState({ key, value: next });
      write(key, next);
    },
    [key],
  );
  return [value, set];
}
