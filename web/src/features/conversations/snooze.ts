import type { ConversationNode } from './conversation-store.ts';

type Snoozable = Pick<ConversationNode, 'snoozedUntil' | 'snoozeWokeAt' | 'lastMessageAt'>;

/** Snoozed until a time still to come: out of Open (as the server's filter has it). */
export const isSnoozed = (c: Pick<Snoozable, 'snoozedUntil'>, now = Date.now()): boolean => c.snoozedUntil != null && Date.parse(c.snoozedUntil) > now;

/**
 * The "Snoozed until …" marker: while it sleeps, and once woken until something new happens in
 * it (a message after the wake-up moves it on).
 */
export function snoozeMarker(c: Snoozable, now = Date.now()): string | null {
  if (!c.snoozedUntil) return null;
  const woken = c.snoozeWokeAt != null && c.lastMessageAt <= c.snoozeWokeAt;
  return isSnoozed(c, now) || woken ? `Snoozed until ${snoozeTime(c.snoozedUntil, now)}` : null;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const WEEKDAY_TIME = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });

/** Short, to fit a row: "9:00 AM" today, "Mon 9:00 AM" within the week, else "14 Dec, 9:00 AM". */
export function snoozeTime(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  if (at.toDateString() === new Date(now).toDateString()) return TIME.format(at);
  return at.getTime() - now < 6 * 86400_000 ? WEEKDAY_TIME.format(at) : DATE_TIME.format(at);
}

/** The times offered: in an hour, in three, tomorrow at nine, next Monday at nine (local time). */
export function snoozeChoices(now = new Date()): { label: string; until: Date }[] {
  const at9 = (days: number) => {
    const d = new Date(now);
    d.setDate(d.getDate() + days);
    d.setHours(9, 0, 0, 0);
    return d;
  };
  const toMonday = ((8 - now.getDay()) % 7) || 7;
  return [
    { label: 'For 1 hour', until: new Date(now.getTime() + 3600_000) },
    { label: 'For 3 hours', until: new Date(now.getTime() + 3 * 3600_000) },
    { label: 'Until tomorrow, 9:00', until: at9(1) },
    { label: 'Until Monday, 9:00', until: at9(toMonday) },
  ];
}
