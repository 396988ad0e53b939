import { useEffect } from 'react';
import { safeDisplay } from './bidi.ts';

// The title is the screen's (what a screen reader announces on arrival) after a prefix of the
// window's own, such as the unread count "(3) ", so a background tab says there is news.
let base = document.title || 'Hatch';
let prefix = '';
const apply = () => {
  document.title = safeDisplay(`${prefix}${base}`);
};

/** The window title while a screen shows. */
export function useTitle(title: string): void {
  useEffect(() => {
    const before = base;
    base = title;
    apply();
    return () => {
      base = before;
      apply();
    };
  }, [title]);
}

/** What goes before every screen's title, e.g. "(3) "; empty for nothing. */
export function setTitlePrefix(next: string): void {
  prefix = next;
  apply();
}
