import { describe, expect, it } from 'vitest';
import { insertReply, matchReplies, slashQuery } from './matching.ts';

const replies = [
  { name: 'Address', body: '12 Harbour Street' },
  { name: 'Opening hours', body: 'We open at 9.' },
  { name: 'Hours on holidays', body: 'Closed on the 25th.' },
  { name: 'Parking', body: 'Free parking behind the hotel; hours 8-20.' },
];

describe('finding a saved reply', () => {
  it('puts names that start with the query first, then names that hold it, then texts', () => {
    expect(matchReplies(replies, 'hours').map((r) => r.name)).toEqual(['Hours on holidays', 'Opening hours', 'Parking']);
    expect(matchReplies(replies, 'ADD').map((r) => r.name)).toEqual(['Address']);
    expect(matchReplies(replies, 'zzz')).toEqual([]);
    expect(matchReplies(replies, '', 2).map((r) => r.name)).toEqual(['Address', 'Opening hours']);
  });

  it('reads a /query at the start or after a space, not inside a word or a URL', () => {
    expect(slashQuery('/hou', 4)).toEqual({ start: 0, query: 'hou' });
    expect(slashQuery('Hi! /hou', 8)).toEqual({ start: 4, query: 'hou' });
    expect(slashQuery('Hi! /', 5)).toEqual({ start: 4, query: '' });
    expect(slashQuery('and/or', 6)).toBeNull();
    expect(slashQuery('see https://x.example/a', 23)).toBeNull();
    expect(slashQuery('/hours today', 12)).toBeNull();
    // Only what is before the caret counts.
    expect(slashQuery('/hou and more', 4)).toEqual({ start: 0, query: 'hou' });
  });

  it('replaces the /query with the reply and puts the caret after it', () => {
    expect(insertReply('Hi! /hou thanks', 4, 8, 'We open at 9.')).toEqual({ text: 'Hi! We open at 9. thanks', caret: 17 });
  });
});
