import { describe, expect, it } from 'vitest';
import { presenceText } from './presence-line.tsx';

const c = (name: string, state: 'VIEWING' | 'TYPING') => ({ operatorId: name, name, state });

describe('presenceText', () => {
  it('names who types first, then who views, and says nothing for nobody', () => {
    expect(presenceText([])).toBe('');
    expect(presenceText([c('Bob', 'VIEWING')])).toBe('Bob is viewing');
    expect(presenceText([c('Bob', 'TYPING')])).toBe('Bob is typing…');
    expect(presenceText([c('Bob', 'VIEWING'), c('Cleo', 'TYPING')])).toBe('Cleo is typing… · Bob is viewing');
    expect(presenceText([c('Bob', 'VIEWING'), c('Cleo', 'VIEWING')])).toBe('Bob and Cleo are viewing');
    expect(presenceText([c('A', 'VIEWING'), c('B', 'VIEWING'), c('C', 'VIEWING'), c('D', 'VIEWING')])).toBe('A, B and 2 more are viewing');
  });
});
