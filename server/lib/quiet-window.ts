// Quiet hours' settings as text, read with no dependency: the configuration loads this in every
// command, so the time-zone data stays out of it (server/modules/scheduling/quiet-hours.ts).

/** SMS_QUIET_HOURS: local times, in minutes after midnight, between which no SMS goes out. */
export interface QuietWindow {
  startMinute: number;
  endMinute: number;
}

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** "21:00-08:00" → its minutes; undefined when it is not two HH:MM times apart. */
export function parseQuietWindow(text: string): QuietWindow | undefined {
  const m = WINDOW.exec(text.trim());
  if (!m) return undefined;
  const startMinute = Number(m[1]) * 60 + Number(m[2]);
  const endMinute = Number(m[3]) * 60 + Number(m[4]);
  return startMinute === endMinute ? undefined : { startMinute, endMinute };
}

export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const clocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock minute of the day at `at` in `zone` (Intl applies the zone's rules, DST included). */
export function minuteOfDay(at: Date, zone: string): number {
  let clock = clocks.get(zone);
  if (!clock) clocks.set(zone, (clock = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })));
  const parts = clock.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

