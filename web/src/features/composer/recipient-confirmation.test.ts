import { describe, expect, it } from 'vitest';
import { confirmationOf } from './recipient-confirmation.tsx';

const sms = { kind: 'SMS' as const, address: '+15551234567', display: '+1 555-123-4567', contact: { name: null, optedOut: false }, error: null, freeTextUntil: null };
const whatsapp = { ...sms, kind: 'WHATSAPP' as const, address: 'whatsapp:+15551234567', display: 'WhatsApp +1 555-123-4567' };

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

  it('says WhatsApp for a number read on WhatsApp, and the number once', () => {
    expect(confirmationOf('(555) 123-4567', whatsapp, false, 'WHATSAPP')).toBe('WhatsApp to +1 555-123-4567');
    expect(confirmationOf('Dana', { ...whatsapp, contact: { name: 'Dana', optedOut: false } }, false, 'WHATSAPP')).toBe('WhatsApp to +1 555-123-4567 (Dana)');
    // The rule before anything is read follows the channel chosen.
    expect(confirmationOf('', null, false, 'WHATSAPP')).toBe('A phone number is sent on WhatsApp; a name is kept in Hatch only.');
  });
});
