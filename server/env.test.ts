import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';

describe('parseEnv', () => {
  it('gives every key a working default', () => {
    expect(parseEnv({})).toMatchObject({ PORT: 4000, HOST: '127.0.0.1', HATCH_DATA_DIR: '.data', HATCH_OPERATOR_NAME: 'Operator', LOG_LEVEL: 'info' });
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });

  it('treats empty values as unset, as .env files write them', () => {
    expect(parseEnv({ DATABASE_URL: '', TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' }).DATABASE_URL).toBeUndefined();
  });

  it('reports every bad key at once, each by name', () => {
    let err: unknown;
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TWILIO_PHONE_NUMBER: '555-1234', LOG_LEVEL: 'loud', TWILIO_ACCOUNT_SID: 'AC123' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvError);
    const text = (err as EnvError).message;
    for (const key of ['PORT', 'DATABASE_URL', 'TWILIO_PHONE_NUMBER', 'LOG_LEVEL', 'TWILIO_ACCOUNT_SID']) expect(text).toContain(`${key}:`);
  });

  it('wants the Twilio account and token together', () => {
    expect(() => parseEnv({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` })).toThrow(/TWILIO_AUTH_TOKEN: .*together/);
  });
});
