import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversationId, sortParticipants } from './conversation-id.ts';

describe('conversationId', () => {
  it.each([
    ['+15551234567', '+15557654321', '884fdd00-175c-b8f5-0eff-fae23ce53903'],
    ['Alice', 'Bob', '3a92e7c6-1951-0954-f1a5-632808a295fe'],
    ['+14155550100', 'Front Desk', '706fc036-eda4-c34f-862d-b2620f1e0e9d'],
  ])('matches the original service for %s & %s', (a, b, id) => {
    expect(conversationId(a, b)).toBe(id);
    expect(conversationId(b, a)).toBe(id);
  });

  it('does not depend on argument order, for any strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => conversationId(a, b) === conversationId(b, a)));
  });

  it('is always shaped like a UUID', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(conversationId(a, b))));
  });

  it('sorts by code point, as Python does, not by UTF-16 unit', () => {
    // U+FF21 (fullwidth A) is one unit above the surrogates that encode U+1F600; by code point it is below.
    expect(sortParticipants('\u{1F600}', '\uFF21')).toEqual(['\uFF21', '\u{1F600}']);
  });
});
