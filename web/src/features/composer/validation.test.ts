import { describe, expect, it } from 'vitest';
import { checkBody, checkRecipient } from './validation.ts';

describe('checkRecipient', () => {
  it('needs something typed; everything else is read by the server', () => {
    expect(checkRecipient('   ')).toEqual({ code: 'INVALID_RECIPIENT', message: 'Recipient is required.' });
    for (const to of ['+15551234567', '(555) 123-4567', '+1\u2011555\u2011123\u20114567', 'tel:+15551234567', 'Front desk']) {
      expect(checkRecipient(to), to).toBeNull();
    }
  });
});

describe('checkBody', () => {
  it('needs something that is not blank', () => {
    expect(checkBody(' \n ')?.code).toBe('EMPTY_BODY');
    expect(checkBody('hi')).toBeNull();
  });

  it('allows 1600 characters, counting an emoji as one', () => {
    expect(checkBody('😀'.repeat(1600))).toBeNull();
    expect(checkBody('a'.repeat(1601))?.code).toBe('BODY_TOO_LONG');
  });
});
