import { describe, expect, it } from 'vitest';
import { statusLine, type StatusInput } from './status-text.ts';

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

  it('gives the reason for a failure, falling back to the code', () => {
    expect(statusLine(sms('FAILED', { errorMessage: 'Unreachable destination handset', errorCode: '30003' }))).toEqual({
      text: 'failed: Unreachable destination handset',
      tone: 'error',
    });
    expect(statusLine(sms('UNDELIVERED', { errorCode: '30005' }))?.text).toBe('not delivered: error 30005');
    expect(statusLine(sms('FAILED'))?.text).toBe('failed: no reason given');
  });

  it('says saved for stored-only messages and nothing for inbound ones', () => {
    expect(statusLine({ direction: 'OUTBOUND', channel: 'INTERNAL', status: 'STORED' })?.text).toBe('saved');
    expect(statusLine({ direction: 'INBOUND', channel: 'SMS', status: 'RECEIVED' })).toBeNull();
  });
});
