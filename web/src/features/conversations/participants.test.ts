import { describe, expect, it } from 'vitest';
import { contactOf, conversationTitle, isOurs, otherThan } from './participants.ts';

describe('the sides of a conversation', () => {
  const sms = { participants: ['+15005550006', '+15551234567'], ours: '+15005550006', contact: { address: '+15551234567' } };
  const unknown = { participants: ['Alice', 'Bob'], ours: null, contact: null };

  it('names the contact the server gives, whichever order the participants are in', () => {
    expect(contactOf(sms)).toBe('+15551234567');
    expect(conversationTitle({ ...sms, participants: [...sms.participants].reverse() })).toBe('+15551234567');
  });

  it('falls back to the participant that is not ours when the contact is missing', () => {
    expect(contactOf({ participants: ['Alice', 'Bob'], ours: 'Alice', contact: null })).toBe('Bob');
  });

  it('names both sides when neither is known to be ours', () => {
    expect(contactOf(unknown)).toBeUndefined();
    expect(conversationTitle(unknown)).toBe('Alice & Bob');
  });

  it('puts a message on our side only when it comes from our participant', () => {
    expect(isOurs(sms, { from: '+15005550006' })).toBe(true);
    expect(isOurs(sms, { from: '+15551234567' })).toBe(false);
    expect(isOurs(unknown, { from: 'Alice' })).toBe(false);
  });

  it('finds who a reply goes to', () => {
    expect(otherThan(unknown, 'Bob')).toBe('Alice');
  });
});
