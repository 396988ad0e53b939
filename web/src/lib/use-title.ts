import { useEffect } from 'react';

/** The window title while a screen shows: it is what a screen reader announces on arrival, and what a tab shows. */
export function useTitle(title: string): void {
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);
}
