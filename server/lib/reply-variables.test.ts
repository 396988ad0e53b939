import { describe, expect, it } from 'vitest';
import { fillReply, firstWord, unknownVariables } from './reply-variables.ts';

describe('saved reply variables', () => {
  it('fills each variable, uses a fallback when there is no value, and leaves a placeholder with neither', () => {
    const body = 'Hi {{contact.first_name | there}}, {{ operator.name }} here. {{contact.name}}?';
    expect(fillReply(body, { 'contact.first_name': 'Dana', 'operator.name': 'Ana Lima', 'contact.name': 'Dana Scully' })).toBe('Hi Dana, Ana Lima here. Dana Scully?');
    expect(fillReply(body, { 'operator.name': 'Ana Lima' })).toBe('Hi there, Ana Lima here. {{contact.name}}?');
    // A blank value is no value.
    expect(fillReply('{{contact.name|friend}}', { 'contact.name': '  ' })).toBe('friend');
  });

  it('names the unknown ones once, and takes braces that are no placeholder as text', () => {
    expect(unknownVariables('{{contact.nam}} {{ order.id }} {{contact.nam}} {{contact.phone}}')).toEqual(['contact.nam', 'order.id']);
    expect(unknownVariables('{{}}')).toEqual(['']);
    expect(unknownVariables('a { b } {{ c')).toEqual([]);
    expect(fillReply('a { b } {{ c', {})).toBe('a { b } {{ c');
    // A value is put in as it is: it is not read for placeholders again.
    expect(fillReply('{{contact.name}}', { 'contact.name': '{{operator.name}}' })).toBe('{{operator.name}}');
  });

  it('takes the first word of a name', () => {
    expect(firstWord('  Dana  Scully ')).toBe('Dana');
    expect(firstWord('')).toBeNull();
    expect(firstWord(null)).toBeNull();
  });
});
