import { useCallback, useState, type KeyboardEvent } from 'react';

const MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (i, n) => Math.min(i + 1, n - 1),
  ArrowUp: (i) => Math.max(i - 1, 0),
  Home: () => 0,
  End: (_i, n) => n - 1,
};

/**
 * One Tab stop for a whole list of rows, moved with the arrow keys, Home and End ("roving
 * tabindex"): Tab and Shift+Tab go past the list in one step instead of one per conversation, and
 * Enter opens the focused row's link. The stop rests on the open conversation, else the first row.
 */
export function useRovingFocus(ids: readonly string[], activeId: string | undefined) {
  const [focused, setFocused] = useState<string | undefined>(undefined);
  const stop = focused !== undefined && ids.includes(focused) ? focused : activeId !== undefined && ids.includes(activeId) ? activeId : ids[0];

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLElement>) => {
      const move = MOVES[e.key];
      if (!move || e.altKey || e.ctrlKey || e.metaKey || ids.length === 0) return;
      const from = stop === undefined ? 0 : Math.max(ids.indexOf(stop), 0);
      const next = ids[move(from, ids.length)]!;
      e.preventDefault();
      setFocused(next);
      e.currentTarget.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(next)}"] a`)?.focus();
    },
    [ids, stop],
  );

  return { stop, onKeyDown, setFocused };
}
