import { describe, expect, it } from 'vitest';
import { otherParticipant } from './participants.ts';

describe('otherParticipant', () => {
  const participants = ['+15005550006', '+15551234567'];

  it('is the recipient of our last outbound message', () => {
    expect(
      otherParticipant({ participants, lastMessage: { direction: 'OUTBOUND', from: '+15005550006', to: '+15551234567' } }),
    ).toBe('+15551234567');
  });

  it('is the sender of an inbound one, whichever order the participants are in', () => {
    const lastMessage = { direction: 'INBOUND', from: '+15551234567', to: '+15005550006' } as const;
    expect(otherParticipant({ participants, lastMessage })).toBe('+15551234567');
    expect(otherParticipant({ participants: [...participants].reverse(), lastMessage })).toBe('+15551234567');
  });

  it('works for stored-only conversations with names', () => {
    expect(
      otherParticipant({ participants: ['Front desk', 'Operator'], lastMessage: { direction: 'OUTBOUND', from: 'Operator', to: 'Front desk' } }),
    ).toBe('Front desk');
  });

  it('falls back to identities known to be ours when there is no last message', () => {
    expect(otherParticipant({ participants, lastMessage: null }, new Set(['+15005550006']))).toBe('+15551234567');
    expect(otherParticipant({ participants: ['Ann', 'Operator'] }, new Set(['Operator']))).toBe('Ann');
  });
});
