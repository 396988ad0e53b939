// WhatsApp's customer service window: free text may go until 24 hours after the customer last
// wrote (the server says until when: `freeTextUntil`); outside it, only an approved template.

export type SessionWindow =
  /** Free text may go until `until`. */
  | { open: true; until: Date }
  /** Templates only: the window closed at `closedAt`, or never opened (null: they never wrote). */
  | { open: false; closedAt: Date | null };

/** The window as it stands at `now`, from the server's `freeTextUntil`. */
export function sessionWindow(freeTextUntil: string | null | undefined, now: number): SessionWindow {
  const until = freeTextUntil ? new Date(freeTextUntil) : null;
  if (!until || Number.isNaN(until.getTime())) return { open: false, closedAt: null };
  return until.getTime() > now ? { open: true, until } : { open: false, closedAt: until };
}

const startOfDay = (t: Date) => new Date(t.getFullYear(), t.getMonth(), t.getDate()).getTime();

/** "2:05 PM tomorrow", "14:05 today", "2:05 PM on Tue, Dec 8": a moment near `now`, as people say it. */
export function dayAndTime(at: Date, now: Date, locale?: string): string {
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(at);
  const days = Math.round((startOfDay(at) - startOfDay(now)) / 86_400_000);
  if (days === 0) return `${time} today`;
  if (days === 1) return `${time} tomorrow`;
  if (days === -1) return `${time} yesterday`;
  return `${time} on ${new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric' }).format(at)}`;
}

/** What the composer says while the window is open: until when, and how soon when it is soon. */
export function openWindowText(until: Date, now: Date, locale?: string): string {
  const minutes = Math.ceil((until.getTime() - now.getTime()) / 60_000);
  const soon = minutes <= 60 ? ` (${minutes <= 1 ? 'less than a minute' : `${minutes} min`} left)` : '';
  return `Free text until ${dayAndTime(until, now, locale)}${soon}`;
}

/** Why only a template may go now, to `who` (a name or a number, as the page shows it). */
export function closedWindowText(who: string, closedAt: Date | null, now: Date, locale?: string): string {
  if (!closedAt) {
    return `Free text is off: ${who} has not written to you on WhatsApp yet, and WhatsApp allows only an approved template until they do. Free text opens for 24 hours whenever they write.`;
  }
  return `Free text is off: ${who} last wrote more than 24 hours ago (free text ended at ${dayAndTime(closedAt, now, locale)}). Until they write again, WhatsApp allows only an approved template.`;
}
