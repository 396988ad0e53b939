import { describe, expect, it } from 'vitest';
import { mentionedOperators } from './mentions.ts';

const team = [
  { id: 'ana', name: 'Ana' },
  { id: 'ana-lima', name: 'Ana Lima' },
  { id: 'bob', name: 'Bob' },
  { id: 'zoe', name: 'Zoë' },
];
const ids = (body: string) => mentionedOperators(body, team).map((o) => o.id);

describe('mentionedOperators', () => {
  it('finds @Name in any case, once, with the longest name that fits', () => {
    expect(ids('@bob can you call?')).toEqual(['bob']);
    expect(ids('@Ana Lima and @ana, see @BOB. Thanks @Bob!')).toEqual(['ana-lima', 'ana', 'bob']);
    expect(ids('(@Zoë)')).toEqual(['zoe']);
  });

  it('ignores addresses, longer words and a bare @', () => {
    expect(ids('mail ana@bob.example')).toEqual([]);
    expect(ids('@Bobby is not Bob, @ alone nothing, @@bob yes')).toEqual(['bob']);
    expect(ids('@Anabel')).toEqual([]);
    expect(ids('')).toEqual([]);
  });
});
