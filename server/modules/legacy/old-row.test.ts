import { describe, expect, it } from 'vitest';
import { conversationId } from '../conversations/conversation-id.ts';
import { convertOldRow, type OldRow } from './old-row.ts';
import { directionFromLegacy, legacyDirection, legacyStatus, statusFromLegacy } from './words.ts';

const base: OldRow = {
  id: '0F8FAD5B-D9CB-469F-A165-70867728950E',
  to_contact: '+15551234567',
  from_contact: '+15005550006',
  body: 'hello',
  conversation_id: conversationId('+15551234567', '+15005550006'),
  timestamp: '2025-05-26 19:22:31.123456+00',
  status: 'delivered',
  direction: 'outbound-api',
};
const convert = (change: Partial<OldRow>) => convertOldRow({ ...base, ...change });

describe('an old row as a Hatch message', () => {
  it('keeps the id (lower-cased) and the conversation, routes by the contact, and records the author', () => {
    const out = convert({});
    expect(out).toEqual({
      ok: true,
      notes: [],
      row: expect.objectContaining({
        id: '0f8fad5b-d9cb-469f-a165-70867728950e',
        conversationId: base.conversation_id,
        channel: 'SMS',
        direction: 'OUTBOUND',
        status: 'DELIVERED',
        ours: '+15005550006',
        sentByKind: 'SYSTEM',
        sentByName: null,
      }),
    });
    const inbound = convert({ to_contact: '+15005550006', from_contact: '+15551234567', direction: 'inbound', status: 'received' });
    expect(inbound.ok && inbound.row).toMatchObject({ direction: 'INBOUND', status: 'RECEIVED', channel: 'SMS', ours: '+15005550006', sentByKind: 'SMS_CONTACT', sentByName: '+15551234567' });
  });

  it('stores messages between names as stored-only, whatever the old status said', () => {
    const out = convert({ to_contact: 'Ann', from_contact: 'Front desk', conversation_id: conversationId('Ann', 'Front desk'), status: 'sent' });
    expect(out.ok && out.row).toMatchObject({ channel: 'INTERNAL', status: 'STORED' });
  });

  it('reports a stored conversation id that is not the computed one, and imports under the computed one', () => {
    const out = convert({ conversation_id: '11111111-2222-3333-4444-555555555555' });
    expect(out.ok && out.row.conversationId).toBe(base.conversation_id);
    expect(out.ok && out.notes).toEqual([{ kind: 'conversation-id', stored: '11111111-2222-3333-4444-555555555555', computed: base.conversation_id }]);
  });

  it('replaces NUL (from a bytea column too) and says so', () => {
    const out = convert({ body: Buffer.from('before\u0000after', 'utf8') });
    expect(out.ok && out.row.body).toBe('before\uFFFDafter');
    expect(out.ok && out.notes).toEqual([{ kind: 'repaired-text', fields: ['body'] }]);
  });

  it('takes an unknown status as SENT for an outbound SMS and reports it; an unknown direction is inferred', () => {
    const out = convert({ status: 'teleported' });
    expect(out.ok && out.row.status).toBe('SENT');
    expect(out.ok && out.notes).toEqual([{ kind: 'unknown-status', value: 'teleported' }]);
    const received = convert({ direction: null, status: 'received' });
    expect(received.ok && received.row.direction).toBe('INBOUND');
    expect(received.ok && received.notes).toEqual([{ kind: 'unknown-direction', value: '(none)' }]);
  });

  it('refuses a row with no usable id, participant or time', () => {
    expect(convert({ id: 'not-a-uuid' })).toMatchObject({ ok: false, reason: expect.stringMatching(/not a UUID/) });
    expect(convert({ to_contact: null })).toMatchObject({ ok: false, reason: 'no to_contact' });
    expect(convert({ from_contact: '  ' })).toMatchObject({ ok: false, reason: 'no from_contact' });
    expect(convert({ timestamp: null })).toMatchObject({ ok: false, reason: 'no timestamp' });
  });
});

describe('the old words', () => {
  it('map Twilio and old statuses and directions both ways', () => {
    expect(['pending', 'queued', 'Sending', 'sent', 'delivered', 'undelivered', 'failed', 'received', 'canceled', 'read'].map(statusFromLegacy)).toEqual([
      'QUEUED', 'QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'UNDELIVERED', 'FAILED', 'RECEIVED', 'FAILED', 'DELIVERED',
    ]);
    expect(statusFromLegacy('weird')).toBeUndefined();
    expect(['inbound', 'inbound-api', 'outbound-api', 'outbound-reply', 'sideways'].map(directionFromLegacy)).toEqual(['INBOUND', 'INBOUND', 'OUTBOUND', 'OUTBOUND', undefined]);
    expect(legacyStatus('STORED')).toBe('sent');
    expect(legacyStatus('UNDELIVERED')).toBe('undelivered');
    expect([legacyDirection('INBOUND'), legacyDirection('OUTBOUND')]).toEqual(['inbound-api', 'outbound-api']);
  });
});
