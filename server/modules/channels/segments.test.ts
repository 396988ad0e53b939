import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smsSegments } from './segments.ts';

describe('smsSegments', () => {
  it.each([
    ['', 'GSM7', 0, 0],
    ['hello', 'GSM7', 5, 1],
    ['x'.repeat(160), 'GSM7', 160, 1],
    ['x'.repeat(161), 'GSM7', 161, 2],
    ['x'.repeat(306), 'GSM7', 306, 2],
    ['x'.repeat(307), 'GSM7', 307, 3],
    ['€'.repeat(80), 'GSM7', 160, 1], // extension characters take two septets
    ['€'.repeat(81), 'GSM7', 162, 2],
    ['é'.repeat(160), 'GSM7', 160, 1], // in the basic GSM alphabet
    ['ê'.repeat(70), 'UCS2', 70, 1], // not in it
    ['ê'.repeat(71), 'UCS2', 71, 2],
    ['😀'.repeat(35), 'UCS2', 70, 1], // surrogate pairs are two units
    ['😀'.repeat(36), 'UCS2', 72, 2],
  ])('%#: %j is %s, %i units, %i segments', (body, encoding, units, segments) => {
    expect(smsSegments(body)).toMatchObject({ encoding, units, segments });
  });

  it('never splits an escape pair across segments', () => {
    // 152 plain characters then '€': the pair would straddle the 153-septet boundary, so it moves.
    const body = 'x'.repeat(152) + '€' + 'x'.repeat(10);
    expect(smsSegments(body)).toMatchObject({ units: 164, segments: 2, remaining: 153 - 12 });
  });

  it('counts a 1600-character UCS-2 body as 24 segments', () => {
    expect(smsSegments('ж'.repeat(1600))).toMatchObject({ encoding: 'UCS2', units: 1600, segments: 24 });
  });

  it('has as many segments as needed and no more, for any body', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (body) => {
        const s = smsSegments(body);
        if (s.units === 0) return s.segments === 0;
        const per = s.segments === 1 ? (s.encoding === 'GSM7' ? 160 : 70) : s.perSegment;
        return s.units <= per * s.segments && (s.segments === 1 || s.units > per * (s.segments - 1) - s.segments);
      }),
    );
  });
});
