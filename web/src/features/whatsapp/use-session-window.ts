import { useEffect, useState } from 'react';
import { sessionWindow, type SessionWindow } from './session-window.ts';

// A timer waits at most 2^31 - 1 ms (about 24.8 days); a later end is reached in steps.
const MAX_DELAY = 2 ** 31 - 1;
// How often what is said of the window ("… (12 min left)", "today") is brought up to date.
const TICK_MS = 30_000;

/**
 * WhatsApp's window for free text, kept current while the composer shows: it closes on the dot (a
 * timer on `freeTextUntil`), so a thread left open switches to templates by itself, and opens again
 * as soon as the server says so (an inbound message moves `freeTextUntil`). Nothing runs unless
 * `active`.
 */
export function useSessionWindow(freeTextUntil: string | null | undefined, active: boolean): { window: SessionWindow; now: Date } {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const every = setInterval(() => setTick((n) => n + 1), TICK_MS);
    return () => clearInterval(every);
  }, [active]);
  useEffect(() => {
    if (!active || !freeTextUntil) return;
    const left = Date.parse(freeTextUntil) - Date.now();
    if (!(left > 0)) return;
    // A little past the end, so that the window reads closed when the timer fires.
    const timer = setTimeout(() => setTick((n) => n + 1), Math.min(left + 20, MAX_DELAY));
    return () => clearTimeout(timer);
  }, [active, freeTextUntil, tick]);
  const now = new Date();
  return { window: sessionWindow(freeTextUntil, now.getTime()), now };
}
