const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function startOfDay(t: Date): number {
  return new Date(t.getFullYear(), t.getMonth(), t.getDate()).getTime();
}

/**
 * A short "when" for lists, the way people say it: now, 5 min, 3 h, Yesterday, Tue, Mar 4,
 * Mar 4, 2025. Times a little in the future (clock skew between machines) count as now.
 */
export function relativeTime(iso: string, now: Date, locale?: string): string {
  const then = new Date(iso);
  const ago = now.getTime() - then.getTime();
  if (Number.isNaN(ago)) return '';
  if (ago < MINUTE) return 'now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min`;
  if (ago < DAY && startOfDay(then) === startOfDay(now)) return `${Math.floor(ago / HOUR)} h`;
  const days = Math.round((startOfDay(now) - startOfDay(then)) / DAY);
  if (days === 1) return 'Yesterday';
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(then);
  const sameYear = then.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { month: 'short', day: 'numeric' } : { dateStyle: 'medium' }).format(then);
}

/** The full date and time, for a tooltip beside a relative one. */
export function fullTime(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** Time of day, for message bubbles. */
export function clockTime(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** A heading for the messages of one calendar day: Today, Yesterday, or the date. */
export function dayLabel(iso: string, now: Date, locale?: string): string {
  const then = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(then)) / DAY);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const sameYear = then.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { weekday: 'short', month: 'short', day: 'numeric' } : { dateStyle: 'medium' }).format(then);
}

/** The local calendar day of an instant, as a key for grouping. */
export function dayKey(iso: string): string {
  const t = new Date(iso);
  return `${t.getFullYear()}-${t.getMonth()}-${t.getDate()}`;
}
