// A time as <input type="datetime-local"> holds it (the viewer's local wall clock, no zone) and back.

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-08T09:00" for this moment in the viewer's zone. */
export function toLocalInput(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The moment a local "YYYY-MM-DDTHH:MM" names, or null when it names none. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The next whole hour at least 30 minutes away: what "Send later" offers first. */
export function suggestedTime(now = new Date()): Date {
  const at = new Date(now.getTime() + 30 * 60_000);
  at.setMinutes(0, 0, 0);
  at.setHours(at.getHours() + 1);
  return at;
}

/** "Tue 8 Dec, 09:00" in the viewer's zone and language. */
export function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
