import { describe, expect, it } from 'vitest';
import { isSnoozed, snoozeChoices, snoozeMarker } from './snooze.ts';

const now = Date.parse('2026-12-05T12:00:00Z');

describe('snooze', () => {
  it('is snoozed while the time is to come', () => {
    expect(isSnoozed({ snoozedUntil: '2026-12-05T13:00:00Z' }, now)).toBe(true);
    expect(isSnoozed({ snoozedUntil: '2026-12-05T11:00:00Z' }, now)).toBe(false);
    expect(isSnoozed({ snoozedUntil: null }, now)).toBe(false);
  });

  it('marks a sleeping one, and a woken one until something new happens in it', () => {
    const base = { snoozedUntil: '2026-12-05T13:00:00Z', snoozeWokeAt: null, lastMessageAt: '2026-12-05T10:00:00Z' };
    expect(snoozeMarker(base, now)).toMatch(/^Snoozed until /);
    const woken = { ...base, snoozedUntil: '2026-12-05T11:00:00Z', snoozeWokeAt: '2026-12-05T11:00:01Z', lastMessageAt: '2026-12-05T11:00:00Z' };
    expect(snoozeMarker(woken, now)).toMatch(/^Snoozed until /);
    expect(snoozeMarker({ ...woken, lastMessageAt: '2026-12-05T11:30:00Z' }, now)).toBeNull();
    expect(snoozeMarker({ ...base, snoozedUntil: null }, now)).toBeNull();
  });

  it('offers later today, tomorrow at nine and Monday at nine', () => {
    const saturday = new Date(2026, 11, 5, 12, 0);
    const [hour, three, tomorrow, monday] = snoozeChoices(saturday);
    expect(hour!.until.getTime() - saturday.getTime()).toBe(3600_000);
    expect(three!.until.getHours()).toBe(15);
    expect([tomorrow!.until.getDate(), tomorrow!.until.getHours()]).toEqual([6, 9]);
    expect([monday!.until.getDay(), monday!.until.getDate(), monday!.until.getHours()]).toEqual([1, 7, 9]);
    // On a Monday, the next one.
    expect(snoozeChoices(new Date(2026, 11, 7, 8, 0))[3]!.until.getDate()).toBe(14);
  });
});
