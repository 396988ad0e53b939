import { describe, expect, it } from 'vitest';
import { parseSendInput } from './send-input.ts';

const codes = (input: Parameters<typeof parseSendInput>[0]) => {
  const r = parseSendInput(input);
  return r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`);
};

describe('parseSendInput', () => {
  it('routes E.164 numbers to SMS and names to INTERNAL', () => {
    const sms = parseSendInput({ to: '+15551234567', body: 'hi' });
    expect(sms.ok && sms.value.route).toEqual({ channel: 'SMS', to: '+15551234567' });
    const internal = parseSendInput({ to: '  Front Desk ', body: 'hi' });
    expect(internal.ok && internal.value.route).toEqual({ channel: 'INTERNAL', to: 'Front Desk' });
  });

  // Issues 8 and 14 changed this: numbers written as people write them are read as the number,
  // where they used to be refused. Whatever cannot be a number is still refused, never a name.
  it.each([
    ['+1 555 123 4567', '+15551234567'],
    ['(555) 123-4567', '+15551234567'],
    ['15551234567', '+15551234567'],
    ['555-123-4567', '+15551234567'],
    ['+1\u2011555\u2011123\u20114567', '+15551234567'],
    ['tel:+15551234567', '+15551234567'],
    ['TEL:+1-555-123-4567', '+15551234567'],
    ['\uFF0B\uFF11\uFF15\uFF15\uFF15\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17', '+15551234567'],
    ['+44 7700 900123', '+447700900123'],
  ])('reads the phone number %j as %s (SMS)', (to, e164) => {
    const sms = parseSendInput({ to: JSON.parse(`"${to}"`), body: 'hi' }, { defaultCountry: 'US' });
    expect(sms.ok && sms.value.route).toEqual({ channel: 'SMS', to: e164 });
  });

  it.each(['555-1234', '+12', '+1234567890123456', '+1555123456x', '+0000000000', 'tel:hello', '+1 (555) 123-4567 ext. 12', '12', '+'])(
    'rejects the phone-like %j instead of storing it as a name',
    (to) => expect(codes({ to, body: 'hi' })).toEqual(['to:INVALID_PHONE_NUMBER']),
  );

  it('refuses what Postgres cannot store, by field', () => {
    expect(codes({ to: 'Bob', body: 'a\u0000b' })).toEqual(['body:INVALID_CHARACTERS']);
    expect(codes({ to: 'Bob', body: 'half a pair \uD83D' })).toEqual(['body:INVALID_CHARACTERS']);
    expect(codes({ to: 'Bob\u0000', body: 'hi' })).toEqual(['to:INVALID_CHARACTERS']);
    expect(codes({ to: 'Bob', body: 'hi', idempotencyKey: 'k\u0000' })).toEqual(['idempotencyKey:INVALID_CHARACTERS']);
    expect(codes({ to: 'Bob', body: 'emoji are whole pairs 😀' })).toEqual([]);
  });

  it('rejects empty, blank and over-long bodies', () => {
    expect(codes({ to: 'Bob', body: '' })).toEqual(['body:EMPTY_BODY']);
    expect(codes({ to: 'Bob', body: ' \n\t ' })).toEqual(['body:EMPTY_BODY']);
    expect(codes({ to: 'Bob', body: 'x'.repeat(1600) })).toEqual([]);
    expect(codes({ to: 'Bob', body: 'x'.repeat(1601) })).toEqual(['body:BODY_TOO_LONG']);
    // Characters, not UTF-16 units: 1600 emoji are allowed.
    expect(codes({ to: 'Bob', body: '😀'.repeat(1600) })).toEqual([]);
  });

  it('rejects empty, over-long and control-character names', () => {
    expect(codes({ to: '', body: 'hi' })).toEqual(['to:INVALID_RECIPIENT']);
    expect(codes({ to: '   ', body: 'hi' })).toEqual(['to:INVALID_RECIPIENT']);
    expect(codes({ to: 'x'.repeat(100), body: 'hi' })).toEqual([]);
    expect(codes({ to: 'x'.repeat(101), body: 'hi' })).toEqual(['to:INVALID_RECIPIENT']);
    expect(codes({ to: 'Bob\u0007', body: 'hi' })).toEqual(['to:INVALID_RECIPIENT']);
  });

  it('checks the sender against the route', () => {
    expect(codes({ to: '+15551234567', body: 'hi', from: 'Front Desk' })).toEqual(['from:INVALID_SENDER']);
    expect(codes({ to: 'Bob', body: 'hi', from: '' })).toEqual(['from:INVALID_SENDER']);
    expect(codes({ to: 'Bob', body: 'hi', from: '+15551234567' })).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(codes({ to: '+12', body: '', idempotencyKey: '' })).toEqual([
      'to:INVALID_PHONE_NUMBER',
      'body:EMPTY_BODY',
      'idempotencyKey:INVALID_IDEMPOTENCY_KEY',
    ]);
  });
});
