import { describe, expect, it } from 'vitest';
import { channelOf } from '../composer/compose-target.ts';
import { channelLine, withoutChannel } from './channel.ts';

describe('the channel a message goes on', () => {
  it('takes the word WhatsApp off a number the server wrote, where the channel is shown beside it', () => {
    expect(withoutChannel('WhatsApp +1 555-701-0001')).toBe('+1 555-701-0001');
    expect(withoutChannel('WhatsApp +44 7700 900123')).toBe('+44 7700 900123');
    expect(withoutChannel('+1 555-701-0001')).toBe('+1 555-701-0001');
    // A name stays a name, even one that starts with the word.
    expect(withoutChannel('WhatsApp fans')).toBe('WhatsApp fans');
    expect(withoutChannel('Dana')).toBe('Dana');
  });

  it('says the channel and whom it reaches', () => {
    expect(channelLine('WHATSAPP', 'WhatsApp +1 555-701-0001')).toBe('WhatsApp to +1 555-701-0001');
    expect(channelLine('WHATSAPP', 'WhatsApp +1 555-701-0001', 'Dana \u202Eexe')).toBe('WhatsApp to +1 555-701-0001 (Dana exe)');
    expect(channelLine('SMS', '+1 555-701-0001', null)).toBe('SMS to +1 555-701-0001');
  });

  it('is the reading of a new recipient (the chosen channel until there is one), or the conversation’s', () => {
    const read = (kind: 'SMS' | 'WHATSAPP' | 'NAME' | 'INVALID') => ({ kind, address: null, display: null, freeTextUntil: null, contact: null, error: null });
    expect(channelOf({ kind: 'new', to: '555', channel: 'WHATSAPP' }, null)).toBe('WHATSAPP');
    expect(channelOf({ kind: 'new', to: '555' }, null)).toBe('SMS');
    expect(channelOf({ kind: 'new', to: '555', channel: 'WHATSAPP' }, null, read('WHATSAPP'))).toBe('WHATSAPP');
    expect(channelOf({ kind: 'new', to: 'Front desk', channel: 'WHATSAPP' }, null, read('NAME'))).toBe('INTERNAL');
    const reply = { kind: 'reply' as const, conversationId: 'c', contact: 'whatsapp:+15557010001', participants: ['whatsapp:+15005550006', 'whatsapp:+15557010001'] };
    expect(channelOf(reply, null)).toBe('WHATSAPP');
    expect(channelOf({ ...reply, channel: 'SMS' }, null)).toBe('SMS');
    expect(channelOf({ ...reply, contact: 'Front desk', participants: ['Ana', 'Front desk'] }, null)).toBe('INTERNAL');
  });
});
