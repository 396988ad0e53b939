import { describe, expect, it } from 'vitest';
import { smsCounter, storedCounter } from './segment-display.ts';

describe('smsCounter', () => {
  it('shows the room in one SMS before anything is typed', () => {
    expect(smsCounter({ encoding: 'GSM7', segments: 0, units: 0, perSegment: 160, remaining: 160 }, 0)).toEqual({
      text: '160 characters per SMS',
      over: false,
    });
  });

  it('counts parts and the room left in the last one', () => {
    expect(smsCounter({ encoding: 'GSM7', segments: 1, units: 42, perSegment: 160, remaining: 118 }, 42).text).toBe('1 SMS · 118 left');
    expect(smsCounter({ encoding: 'GSM7', segments: 2, units: 161, perSegment: 153, remaining: 145 }, 161).text).toBe('2 SMS · 145 left');
  });

  it('calls out Unicode, which shrinks each part', () => {
    expect(smsCounter({ encoding: 'UCS2', segments: 1, units: 2, perSegment: 70, remaining: 68 }, 1).text).toBe('1 SMS · 68 left · Unicode');
  });

  it('warns past the length limit', () => {
    expect(smsCounter({ encoding: 'GSM7', segments: 11, units: 1605, perSegment: 153, remaining: 78 }, 1605)).toEqual({
      text: '5 over the 1600-character limit',
      over: true,
    });
  });
});

describe('storedCounter', () => {
  it('counts characters against the limit', () => {
    expect(storedCounter(12)).toEqual({ text: '12/1600', over: false });
    expect(storedCounter(1601).over).toBe(true);
  });
});
