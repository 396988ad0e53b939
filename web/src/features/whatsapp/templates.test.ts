import { describe, expect, it } from 'vitest';
import { blankLabel, blanksOf, contentVariables, emptyBlanks, fillTemplate, previewParts } from './templates.ts';

const REMINDER = 'Hello {{1}}, this is a reminder of your appointment on {{2}}. Reply to this message to confirm or change it.';

describe('a template with its blanks filled in', () => {
  it('finds each blank once, in the order it first appears, however it is spaced', () => {
    expect(blanksOf(REMINDER)).toEqual(['1', '2']);
    expect(blanksOf('{{2}} then {{ 1 }} and {{2}} again, {{first_name}}')).toEqual(['2', '1', 'first_name']);
    expect(blanksOf('No blanks, and {not} {{ a blank }} either')).toEqual([]);
  });

  it('fills in what is written, trimmed as the server trims it, and leaves an empty blank as it is', () => {
    expect(fillTemplate(REMINDER, { '1': ' Dana ', '2': 'Friday at 10:00' })).toBe(
      'Hello Dana, this is a reminder of your appointment on Friday at 10:00. Reply to this message to confirm or change it.',
    );
    expect(fillTemplate(REMINDER, { '1': 'Dana', '2': '   ' })).toBe('Hello Dana, this is a reminder of your appointment on {{2}}. Reply to this message to confirm or change it.');
    // A blank written twice is filled twice; a value with {{…}} in it is not read again as a blank.
    expect(fillTemplate('{{1}} and {{1}}', { '1': '{{2}}' })).toBe('{{2}} and {{2}}');
    expect(fillTemplate('Pay $1 {{1}}', { '1': '$& now' })).toBe('Pay $1 $& now');
  });

  it('gives the preview its pieces, each blank with its value or empty', () => {
    expect(previewParts('Hi {{1}}, see you {{2}}!', { '1': 'Dana' })).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'blank', name: '1', value: 'Dana' },
      { kind: 'text', text: ', see you ' },
      { kind: 'blank', name: '2', value: '' },
      { kind: 'text', text: '!' },
    ]);
    expect(previewParts('{{1}}', { '1': 'x' })).toEqual([{ kind: 'blank', name: '1', value: 'x' }]);
  });

  it('names the blanks still empty, and sends every blank with its value', () => {
    expect(emptyBlanks(REMINDER, {})).toEqual(['1', '2']);
    expect(emptyBlanks(REMINDER, { '1': 'Dana', '2': ' ' })).toEqual(['2']);
    expect(emptyBlanks(REMINDER, { '1': 'Dana', '2': 'Friday' })).toEqual([]);
    expect(contentVariables(REMINDER, { '2': ' Friday ', '1': 'Dana', '3': 'not a blank of it' })).toEqual([
      { name: '1', value: 'Dana' },
      { name: '2', value: 'Friday' },
    ]);
  });

  it('labels a blank for people', () => {
    expect(blankLabel('1')).toBe('Blank 1');
    expect(blankLabel('first_name')).toBe('Blank first name');
  });
});
