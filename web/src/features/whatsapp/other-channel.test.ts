import { describe, expect, it } from 'vitest';
import { carriedDraft, conversationOn, offersOtherChannel, otherChannel, switchLabel } from './other-channel.ts';

describe('replying on the same number’s other channel', () => {
  it('is the other of SMS and WhatsApp, and says where it takes the reply', () => {
    expect(otherChannel('SMS')).toBe('WHATSAPP');
    expect(otherChannel('WHATSAPP')).toBe('SMS');
    expect(switchLabel('SMS')).toBe('Text by SMS instead');
    expect(switchLabel('WHATSAPP')).toBe('Write on WhatsApp instead');
  });

  it('is offered in SMS and WhatsApp threads with a number, where WhatsApp is set up', () => {
    expect(offersOtherChannel('SMS', '+15557010001', true)).toBe(true);
    expect(offersOtherChannel('WHATSAPP', 'whatsapp:+15557010001', true)).toBe(true);
    // WhatsApp is off: SMS is the only channel.
    expect(offersOtherChannel('SMS', '+15557010001', false)).toBe(false);
    expect(offersOtherChannel('WHATSAPP', 'whatsapp:+15557010001', false)).toBe(false);
    // A note kept in Hatch, a name, or a thread whose side of ours is unknown.
    expect(offersOtherChannel('INTERNAL', 'Front desk', true)).toBe(false);
    expect(offersOtherChannel('SMS', 'Front desk', true)).toBe(false);
    expect(offersOtherChannel('SMS', null, true)).toBe(false);
  });

  it('finds the conversation on that channel between the number and our sender there, if there is one', () => {
    const listed = [
      { id: 'wa-old-sender', channel: 'WHATSAPP' as const, participants: ['whatsapp:+14155238886', 'whatsapp:+15557010001'] },
      { id: 'sms', channel: 'SMS' as const, participants: ['+15005550006', '+15557010001'] },
      { id: 'wa', channel: 'WHATSAPP' as const, participants: ['whatsapp:+15005550006', 'whatsapp:+15557010001'] },
      { id: 'other-number', channel: 'SMS' as const, participants: ['+15005550006', '+15557010002'] },
    ];
    expect(conversationOn(listed, 'WHATSAPP', 'whatsapp:+15557010001', 'whatsapp:+15005550006')?.id).toBe('wa');
    expect(conversationOn(listed, 'SMS', '+15557010001', '+15005550006')?.id).toBe('sms');
    expect(conversationOn(listed, 'SMS', '+15557010003', '+15005550006')).toBeUndefined();
    expect(conversationOn([], 'SMS', '+15557010001', '+15005550006')).toBeUndefined();
  });

  it('takes what was typed along as the draft, after what waited there, each once', () => {
    expect(carriedDraft('', 'On my way')).toBe('On my way');
    expect(carriedDraft('Earlier note', 'On my way')).toBe('Earlier note\nOn my way');
    expect(carriedDraft('Earlier note\n\n', 'On my way')).toBe('Earlier note\nOn my way');
    expect(carriedDraft('Earlier note', '')).toBe('Earlier note');
    expect(carriedDraft('Earlier note', '  ')).toBe('Earlier note');
    expect(carriedDraft('On my way', 'On my way ')).toBe('On my way');
  });
});
