import { describe, expect, it } from 'vitest';
import { checkBody, checkRecipient, looksLikeSms } from './validation.ts';

describe('checkRecipient', () => {
  it('sends E.164 numbers by SMS', () => {
    expect(checkRecipient(' +15551234567 ')).toEqual({ ok: true, recipient: { kind: 'sms', to: '+15551234567' } });
    expect(checkRecipient('+123456789012345').ok).toBe(true);
  });

  it.each(['555-1234', '(555) 123-4567', '+1 555 123 4567', '15551234567', '+123456789', '+1234567890123456'])(
    'rejects the phone-like but malformed %j',
    (to) => {
      const result = checkRecipient(to);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('INVALID_PHONE_NUMBER');
    },
  );

  it('keeps a name as a stored-only conversation', () => {
    expect(checkRecipient('Front desk')).toEqual({ ok: true, recipient: { kind: 'stored', to: 'Front desk' } });
    expect(checkRecipient('Room 101').ok).toBe(true); // letters make it a name, digits or not
  });

  it('rejects empty, overlong and unprintable names', () => {
    expect(checkRecipient('   ')).toMatchObject({ ok: false, error: { code: 'INVALID_RECIPIENT' } });
    expect(checkRecipient('x'.repeat(101))).toMatchObject({ ok: false, error: { code: 'INVALID_RECIPIENT' } });
    expect(checkRecipient('a\u0007b')).toMatchObject({ ok: false, error: { code: 'INVALID_RECIPIENT' } });
    expect(checkRecipient('😀'.repeat(100)).ok).toBe(true); // counted in characters, as the server does
  });

  it('treats punctuation without digits as a name', () => {
    expect(checkRecipient('---')).toMatchObject({ ok: true, recipient: { kind: 'stored' } });
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

describe('looksLikeSms', () => {
  it('is true while a number is being typed and false for names', () => {
    expect(looksLikeSms('')).toBe(true);
    expect(looksLikeSms('+1555')).toBe(true);
    expect(looksLikeSms('Ann')).toBe(false);
  });
});
