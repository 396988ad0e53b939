import { describe, expect, it } from 'vitest';
import { dayLabel, relativeTime } from './relative-time.ts';

// Local times, so the calendar-day rules hold in any time zone the tests run in.
const now = new Date(2026, 10, 26, 15, 30, 0); // Thu 26 Nov 2026, 15:30
const at = (...args: [number, number, number, number?, number?]) => new Date(...(args as [number, number, number, number, number])).toISOString();

describe('relativeTime', () => {
  it('says now for the last minute, and for a clock slightly ahead', () => {
    expect(relativeTime(new Date(now.getTime() - 59_000).toISOString(), now, 'en-US')).toBe('now');
    expect(relativeTime(new Date(now.getTime() + 5_000).toISOString(), now, 'en-US')).toBe('now');
  });

  it('counts minutes, then hours within the same day', () => {
    expect(relativeTime(new Date(now.getTime() - 5 * 60_000).toISOString(), now, 'en-US')).toBe('5 min');
    expect(relativeTime(new Date(now.getTime() - 59 * 60_000).toISOString(), now, 'en-US')).toBe('59 min');
    expect(relativeTime(at(2026, 10, 26, 12, 10), now, 'en-US')).toBe('3 h');
  });

  it('names yesterday and the days of the last week', () => {
    expect(relativeTime(at(2026, 10, 25, 23, 50), now, 'en-US')).toBe('Yesterday');
    expect(relativeTime(at(2026, 10, 22, 9, 0), now, 'en-US')).toBe('Sun');
  });

  it('gives a date beyond a week, with the year only when it differs', () => {
    expect(relativeTime(at(2026, 2, 4, 9, 0), now, 'en-US')).toBe('Mar 4');
    expect(relativeTime(at(2025, 2, 4, 9, 0), now, 'en-US')).toBe('Mar 4, 2025');
  });

  it('returns nothing for a value that is not a date', () => {
    expect(relativeTime('not a date', now, 'en-US')).toBe('');
  });
});

describe('dayLabel', () => {
  it('names today and yesterday, then dates', () => {
    expect(dayLabel(at(2026, 10, 26, 0, 5), now, 'en-US')).toBe('Today');
    expect(dayLabel(at(2026, 10, 25, 23, 0), now, 'en-US')).toBe('Yesterday');
    expect(dayLabel(at(2026, 10, 20, 9, 0), now, 'en-US')).toBe('Fri, Nov 20');
    expect(dayLabel(at(2024, 0, 2, 9, 0), now, 'en-US')).toBe('Jan 2, 2024');
  });
});
