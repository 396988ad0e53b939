import { describe, expect, it } from 'vitest';
import { confirmationOf } from './recipient-confirmation.tsx';

const sms = { kind: 'SMS' as const, address: '+15551234567', display: '+1 555-123-4567', contact: { name: null, optedOut: false }, error: null };

describe('what the To field confirms', () => {
  it('repeats the number the server read, with the contact’s name', () => {
    expect(confirmationOf('(555) 123-4567', sms)).toBe('SMS to +1 555-123-4567');
    expect(confirmationOf('(555) 123-4567', { ...sms, contact: { name: 'Dana', optedOut: false } })).toBe('SMS to +1 555-123-4567 (Dana)');
  });

  it('says a name is kept in Hatch only, and that a broken number is not one', () => {
    expect(confirmationOf('Front desk', { ...sms, kind: 'NAME', address: 'Front desk', display: 'Front desk' })).toContain('is a name');
    expect(confirmationOf('555-12', { ...sms, kind: 'INVALID', address: null, display: null })).toMatch(/^Not a phone number/);
  });

  it('repeats a name or a contact’s name without the controls that would turn it around', () => {
    expect(confirmationOf('\u202Eexe.fdp', { ...sms, kind: 'NAME', address: '\u202Eexe.fdp', display: '\u202Eexe.fdp' })).toBe('“exe.fdp” is a name: the conversation is kept in Hatch only; nothing is sent.');
    expect(confirmationOf('(555) 123-4567', { ...sms, contact: { name: 'Dana \u2067gnp.exe\u2069', optedOut: false } })).toBe('SMS to +1 555-123-4567 (Dana gnp.exe)');
  });

  it('falls back to the general rule while nothing is read, or when a refusal is shown beside it', () => {
    expect(confirmationOf('', null)).toBe('A phone number is sent as SMS; a name is kept in Hatch only.');
    expect(confirmationOf('555', null)).toBe('A phone number is sent as SMS; a name is kept in Hatch only.');
    expect(confirmationOf('555-12', { ...sms, kind: 'INVALID', address: null, display: null }, true)).toBe('A phone number is sent as SMS; a name is kept in Hatch only.');
  });
});
