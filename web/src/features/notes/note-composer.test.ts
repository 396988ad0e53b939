import { describe, expect, it } from 'vitest';
import { atQuery } from './note-composer.tsx';
import { withMentions } from './note-bubble.tsx';

describe('atQuery', () => {
  it('finds the @name being typed at the caret, not an address', () => {
    expect(atQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(atQuery('ask @Bo', 7)).toEqual({ start: 4, query: 'Bo' });
    expect(atQuery('ask @Bob L', 10)).toEqual({ start: 4, query: 'Bob L' });
    expect(atQuery('mail ana@bob', 12)).toBeNull();
    expect(atQuery('@Bob then more', 4)).toEqual({ start: 0, query: 'Bob' });
  });
});

describe('withMentions', () => {
  it("marks each teammate's @name, in any case, and nothing else", () => {
    expect(withMentions('@bob lima and @Ana, not ana@x or @Anabel', ['Ana', 'Bob Lima'])).toEqual([{ mention: '@bob lima' }, ' and ', { mention: '@Ana' }, ', not ana@x or @Anabel']);
    expect(withMentions('no one', [])).toEqual(['no one']);
  });
});
