import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeDisplay } from './bidi.ts';

const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
const hasControl = (s: string) => CONTROLS.some((c) => s.includes(c));

// Any code point, not just ASCII, so right-to-left letters and their neighbours in the tables come up.
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));
const plainText = anyText.filter((s) => !hasControl(s));

describe('text shown from others', () => {
  it('drops bidirectional controls, so a reversed file name reads as it is', () => {
    expect(safeDisplay('\u202Eexe.fdp')).toBe('exe.fdp');
    expect(safeDisplay('Your file: \u202Egnp.exe')).toBe('Your file: gnp.exe');
    expect(safeDisplay('invoice\u2067gnp.exe\u2069')).toBe('invoicegnp.exe');
    expect(safeDisplay('שלום Ann')).toBe('שלום Ann');
    for (const c of CONTROLS) expect(safeDisplay(`a${c}b`)).toBe('ab');
  });

  it('keeps the characters beside the controls in the tables, which carry meaning of their own', () => {
    // Joiners hold emoji and Indic letters together; U+2065 and U+206A–F sit outside the ranges.
    for (const kept of ['\u200B', '\u200C', '\u200D', '\u2029', '\u202F', '\u2065', '\u206A', '\u061B', '\u061D', '👩‍👩‍👧']) {
      expect(safeDisplay(kept)).toBe(kept);
    }
  });

  it('never lets a control through, and leaves other text alone', () => {
    const withControls = fc.array(fc.oneof(anyText, fc.constantFrom(...CONTROLS)), { maxLength: 20 }).map((parts) => parts.join(''));
    fc.assert(fc.property(withControls, (text) => !hasControl(safeDisplay(text))));
    fc.assert(fc.property(plainText, (text) => safeDisplay(text) === text));
  });

  it('removes the controls and nothing else: the rest stays, in its order', () => {
    const pieces = fc.array(fc.tuple(plainText, fc.array(fc.constantFrom(...CONTROLS), { maxLength: 3 })), { maxLength: 10 });
    fc.assert(
      fc.property(pieces, (parts) => {
        const text = parts.map(([words, controls]) => controls.join('') + words).join('');
        return safeDisplay(text) === parts.map(([words]) => words).join('');
      }),
    );
  });
});
