import { describe, expect, it } from 'vitest';
import { minuteOfDay, parseQuietWindow, quietFor, quietUntil, zoneOfNumber } from './quiet-hours.ts';

const w = parseQuietWindow('21:00-08:00')!;

describe('quiet hours', () => {
  it('reads a window of two local times, and nothing else', () => {
    expect(w).toEqual({ startMinute: 21 * 60, endMinute: 8 * 60 });
    expect(parseQuietWindow('08:30-12:15')).toEqual({ startMinute: 510, endMinute: 735 });
    for (const bad of ['', '21-08', '25:00-08:00', '21:00-21:00', '21:00 - 8:00', '21:60-08:00']) expect(parseQuietWindow(bad), bad).toBeUndefined();
  });

  it('says when quiet hours end, in the zone, across midnight and a DST change', () => {
    // 23:30 in New York on a winter night: quiet until 08:00 the next morning (13:00 UTC).
    expect(quietUntil(new Date('2026-12-07T04:30:00Z'), 'America/New_York', w)?.toISOString()).toBe('2026-12-07T13:00:00.000Z');
    // 07:59 there: one minute left.
    expect(quietUntil(new Date('2026-12-07T12:59:30Z'), 'America/New_York', w)?.toISOString()).toBe('2026-12-07T13:00:00.000Z');
    // 08:00 and midday: not quiet.
    expect(quietUntil(new Date('2026-12-07T13:00:00Z'), 'America/New_York', w)).toBeUndefined();
    expect(quietUntil(new Date('2026-12-07T17:00:00Z'), 'America/New_York', w)).toBeUndefined();
    // 21:00 exactly is quiet.
    expect(quietUntil(new Date('2026-12-08T02:00:00Z'), 'America/New_York', w)?.toISOString()).toBe('2026-12-08T13:00:00.000Z');
    // The night clocks go forward (8 March 2026 in the US): 08:00 EDT is 12:00 UTC.
    expect(quietUntil(new Date('2026-03-08T04:00:00Z'), 'America/New_York', w)?.toISOString()).toBe('2026-03-08T12:00:00.000Z');
    // And back (1 November 2026): 08:00 EST is 13:00 UTC.
    expect(quietUntil(new Date('2026-11-01T03:00:00Z'), 'America/New_York', w)?.toISOString()).toBe('2026-11-01T13:00:00.000Z');
    // A window inside one day.
    const day = parseQuietWindow('12:00-14:00')!;
    expect(quietUntil(new Date('2026-12-07T12:30:00Z'), 'UTC', day)?.toISOString()).toBe('2026-12-07T14:00:00.000Z');
    expect(quietUntil(new Date('2026-12-07T14:00:00Z'), 'UTC', day)).toBeUndefined();
    expect(minuteOfDay(new Date('2026-12-07T04:30:00Z'), 'Asia/Tokyo')).toBe(13 * 60 + 30);
  });

  it("takes the recipient's zone from their number, and the sender's when the region spans several", async () => {
    expect(await zoneOfNumber('+12125551234')).toBe('America/New_York');
    expect(await zoneOfNumber('+14155551234')).toBe('America/Los_Angeles');
    expect(await zoneOfNumber('+442071234567')).toBe('Europe/London');
    expect(await zoneOfNumber('+15552010001')).toBeUndefined();
    expect(await zoneOfNumber('+61892345678')).toBeUndefined();
    // 03:00 UTC is 22:00 in New York (quiet), 19:00 in San Francisco (not).
    const at = new Date('2026-12-07T03:00:00Z');
    expect((await quietFor('+12125551234', at, { window: w, senderZone: 'UTC' }))?.zone).toBe('America/New_York');
    expect(await quietFor('+14155551234', at, { window: w, senderZone: 'UTC' })).toBeUndefined();
    // A 555 number says nothing: the sender's zone decides.
    expect(await quietFor('+15552010001', at, { window: w, senderZone: 'Europe/Paris' })).toMatchObject({ zone: 'Europe/Paris', until: new Date('2026-12-07T07:00:00Z') });
    expect(await quietFor('+15552010001', at, { window: w, senderZone: 'America/Los_Angeles' })).toBeUndefined();
  });
});
