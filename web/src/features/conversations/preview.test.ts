import { describe, expect, it } from 'vitest';
import { conversationNode } from '../../testing/fixtures.ts';
import { nameOf, conversationTitle } from './participants.ts';
import { attachmentsLabel, previewOf } from './preview.ts';

const last = (over: Record<string, unknown>) => ({
  id: 'm',
  from: '+15551234567',
  to: '+15005550006',
  body: '',
  direction: 'INBOUND' as const,
  channel: 'SMS' as const,
  status: 'RECEIVED' as const,
  media: [],
  sentBy: { kind: 'SMS_CONTACT' as const, name: '+15551234567', operatorId: null as string | null },
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

describe('a row’s preview', () => {
  it('calls a message with pictures and no text a photo, and other attachments attachments', () => {
    expect(attachmentsLabel([{ contentType: 'image/jpeg' }])).toBe('📷 Photo');
    expect(attachmentsLabel([{ contentType: 'image/jpeg' }, { contentType: 'image/png' }])).toBe('📷 2 photos');
    expect(attachmentsLabel([{ contentType: 'application/pdf' }])).toBe('📎 Attachment');
    const c = conversationNode('c', '+15551234567', { lastMessage: last({ media: [{ contentType: 'image/jpeg' }] }) });
    expect(previewOf(c)).toEqual({ author: '', text: '📷 Photo', failure: null });
  });

  it('says "Not delivered" for a failed SMS of ours, the words the thread uses', () => {
    const c = conversationNode('c', '+15551234567', {
      lastMessage: last({ from: '+15005550006', to: '+15551234567', body: 'Hi', direction: 'OUTBOUND', status: 'FAILED' }),
    });
    expect(previewOf(c)).toEqual({ author: 'You: ', text: 'Hi', failure: 'Not delivered' });
  });

  it('says "You:" for one\'s own words only, and names a colleague or a program', () => {
    const ours = (sentBy: { kind: 'OPERATOR' | 'TOKEN' | 'SYSTEM'; name: string | null; operatorId: string | null }) =>
      conversationNode('c', '+15551234567', { lastMessage: last({ from: '+15005550006', to: '+15551234567', body: 'Hi', direction: 'OUTBOUND', status: 'SENT', sentBy }) });
    const ana = 'a0000000-0000-0000-0000-000000000001';
    expect(previewOf(ours({ kind: 'OPERATOR', name: 'Ana', operatorId: ana }), ana).author).toBe('You: ');
    expect(previewOf(ours({ kind: 'OPERATOR', name: 'Bob', operatorId: 'b0000000-0000-0000-0000-000000000002' }), ana).author).toBe('Bob: ');
    expect(previewOf(ours({ kind: 'TOKEN', name: 'CRM sync', operatorId: null }), ana).author).toBe('CRM sync: ');
    // Nobody signed in as a colleague (sign-in off), or an author not recorded: ours is "You".
    expect(previewOf(ours({ kind: 'OPERATOR', name: 'Bob', operatorId: 'b0000000-0000-0000-0000-000000000002' }), null).author).toBe('You: ');
    expect(previewOf(ours({ kind: 'SYSTEM', name: null, operatorId: null }), ana).author).toBe('You: ');
    // A name with a bidirectional override cannot turn the preview around.
    expect(previewOf(ours({ kind: 'OPERATOR', name: '\u202EboB', operatorId: 'b0000000-0000-0000-0000-000000000002' }), ana).author).toBe('boB: ');
  });

  it('names the sender where neither side is ours, in the case the contact has', () => {
    const c = conversationNode('c', 'Bob', {
      participants: ['Alice', 'Bob'],
      ours: null,
      contact: null,
      participantContacts: [
        { address: 'Alice', displayName: 'Alice' },
        { address: 'Bob', displayName: 'Bob' },
      ],
      lastMessage: last({ from: 'bob', to: 'Alice', body: 'See you', direction: 'OUTBOUND', channel: 'INTERNAL', status: 'STORED' }),
    });
    expect(previewOf(c).author).toBe('Bob: ');
    expect(nameOf(c, 'ALICE')).toBe('Alice');
    expect(conversationTitle(c)).toBe('Alice & Bob');
  });
});
