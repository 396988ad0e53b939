import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeDisplay } from './bidi.ts';

const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

describe('text shown from others', () => {
  it('drops bidirectional controls, so a reversed file name reads as it is', () => {
    expect(safeDisplay('\u202Eexe.fdp')).toBe('exe.fdp');
    expect(safeDisplay('invoice\u2067gnp.exe\u2069')).toBe('invoicegnp.exe');
    expect(safeDisplay('שלום Ann')).toBe('שלום Ann');
  });

  it('never lets a control through, and leaves other text alone', () => {
    const withControls = fc.array(fc.oneof(fc.string(), fc.constantFrom(...CONTROLS)), { maxLength: 20 }).map((parts) => parts.join(''));
    fc.assert(fc.property(withControls, (text) => !CONTROLS.some((c) => safeDisplay(text).includes(c))));
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }).filter((s) => !CONTROLS.some((c) => s.includes(c))), (text) => safeDisplay(text) === text));
  });
});
