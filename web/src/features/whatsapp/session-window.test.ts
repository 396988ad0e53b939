import { describe, expect, it } from 'vitest';
import { closedWindowText, dayAndTime, openWindowText, sessionWindow } from './session-window.ts';

// Local wall-clock times, whatever zone the machine is in.
const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute);
const now = at(7, 9, 30);

describe('WhatsApp’s window for free text', () => {
  it('is open until freeTextUntil, closed from then on, and closed when they never wrote', () => {
    expect(sessionWindow(at(8, 14, 5).toISOString(), now.getTime())).toEqual({ open: true, until: at(8, 14, 5) });
    expect(sessionWindow(now.toISOString(), now.getTime())).toEqual({ open: false, closedAt: now });
    expect(sessionWindow(at(6, 8).toISOString(), now.getTime())).toEqual({ open: false, closedAt: at(6, 8) });
    expect(sessionWindow(null, now.getTime())).toEqual({ open: false, closedAt: null });
    expect(sessionWindow('not a date', now.getTime())).toEqual({ open: false, closedAt: null });
  });

  it('says until when, the way people say it, and how long is left when it is soon', () => {
    expect(dayAndTime(at(7, 14, 5), now, 'en-US')).toBe('2:05 PM today');
    expect(dayAndTime(at(8, 14, 5), now, 'en-GB')).toBe('14:05 tomorrow');
    expect(dayAndTime(at(6, 14, 5), now, 'en-US')).toBe('2:05 PM yesterday');
    expect(dayAndTime(at(10, 14, 5), now, 'en-US')).toBe('2:05 PM on Thu, Dec 10');
    expect(openWindowText(at(8, 9, 29), now, 'en-GB')).toBe('Free text until 9:29 tomorrow');
    expect(openWindowText(at(7, 10, 0), now, 'en-GB')).toBe('Free text until 10:00 today (30 min left)');
    expect(openWindowText(new Date(now.getTime() + 20_000), now, 'en-GB')).toMatch(/\(less than a minute left\)$/);
  });

  it('explains why only a template may go: never written, or written too long ago', () => {
    expect(closedWindowText('+1 555-701-0002', null, now)).toBe(
      'Free text is off: +1 555-701-0002 has not written to you on WhatsApp yet, and WhatsApp allows only an approved template until they do. Free text opens for 24 hours whenever they write.',
    );
    expect(closedWindowText('Dana', at(6, 14, 5), now, 'en-US')).toBe(
      'Free text is off: Dana last wrote more than 24 hours ago (free text ended at 2:05 PM yesterday). Until they write again, WhatsApp allows only an approved template.',
    );
  });
});
