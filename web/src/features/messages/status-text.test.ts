import { describe, expect, it } from 'vitest';
import { statusLine, statusText, type StatusInput } from './status-text.ts';

const sms = (status: StatusInput['status'], extra: Partial<StatusInput> = {}): StatusInput => ({
  direction: 'OUTBOUND',
  channel: 'SMS',
  status,
  ...extra,
});

describe('statusLine', () => {
  it('reads an SMS from queued to delivered', () => {
    expect(statusLine(sms('QUEUED'))).toEqual({ text: 'sending…', tone: 'pending' });
    expect(statusLine(sms('SENDING'))?.text).toBe('sending…');
    expect(statusLine(sms('SENT'))).toEqual({ text: 'sent', tone: 'done' });
    expect(statusLine(sms('DELIVERED'))).toEqual({ text: 'delivered', tone: 'done' });
  });

  // Issue 14: one wording for a failed SMS, in the list and the thread alike ("Not delivered").
  it('gives the reason for a failure, falling back to the code', () => {
    expect(statusLine(sms('FAILED', { errorMessage: 'Unreachable destination handset', errorCode: '30003' }))).toEqual({
      text: 'Not delivered',
      tone: 'error',
      reason: 'Unreachable destination handset',
    });
    expect(statusText(statusLine(sms('UNDELIVERED', { errorCode: '30005' }))!)).toBe('Not delivered: error 30005');
    expect(statusText(statusLine(sms('FAILED'))!)).toBe('Not delivered: no reason given');
  });

  it('reads a WhatsApp message on to read, the way delivered is said', () => {
    const whatsapp = (status: StatusInput['status']) => sms(status, { channel: 'WHATSAPP' });
    expect(statusLine(whatsapp('DELIVERED'))).toEqual({ text: 'delivered', tone: 'done' });
    expect(statusLine(whatsapp('READ'))).toEqual({ text: 'read', tone: 'done' });
  });

  it('says saved for stored-only messages and nothing for inbound ones', () => {
    expect(statusLine({ direction: 'OUTBOUND', channel: 'INTERNAL', status: 'STORED' })?.text).toBe('saved');
    expect(statusLine({ direction: 'INBOUND', channel: 'SMS', status: 'RECEIVED' })).toBeNull();
  });
});
