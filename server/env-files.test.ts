import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from './env.ts';

describe('configuration from files and from the POSTGRES_* keys', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hatch-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads X_FILE for any known key, a trailing newline dropped', () => {
    writeFileSync(path.join(dir, 'token'), 'from-a-file\n');
    writeFileSync(path.join(dir, 'db'), 'postgres://u:p@db:5432/hatch\n');
    const env = parseEnv({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_PHONE_NUMBER: '+15005550006', TWILIO_AUTH_TOKEN_FILE: path.join(dir, 'token'), DATABASE_URL_FILE: path.join(dir, 'db') });
    expect(env.TWILIO_AUTH_TOKEN).toBe('from-a-file');
    expect(env.DATABASE_URL).toBe('postgres://u:p@db:5432/hatch');
  });

  it('names the key when a file is missing or both are set', () => {
    expect(() => parseEnv({ TWILIO_AUTH_TOKEN_FILE: path.join(dir, 'nope') })).toThrow(/TWILIO_AUTH_TOKEN_FILE: cannot read .*nope \(ENOENT\)/);
    writeFileSync(path.join(dir, 'x'), 'x');
    expect(() => parseEnv({ DATABASE_URL: 'postgres://a', DATABASE_URL_FILE: path.join(dir, 'x') })).toThrow(/DATABASE_URL_FILE: DATABASE_URL is set too/);
  });

  it('builds DATABASE_URL from POSTGRES_* when it is not set, as the Flask service was configured', () => {
    writeFileSync(path.join(dir, 'pw'), 's3cr:t/\n');
    const env = parseEnv({ POSTGRES_HOST: 'old-db', POSTGRES_PORT: '5433', POSTGRES_USER: 'hatch', POSTGRES_PASSWORD_FILE: path.join(dir, 'pw'), POSTGRES_DB: 'messages' });
    expect(env.DATABASE_URL).toBe('postgres://hatch:s3cr%3At%2F@old-db:5433/messages');
    expect(parseEnv({ POSTGRES_HOST: 'h' }).DATABASE_URL).toBe('postgres://postgres@h/postgres');
    expect(parseEnv({ POSTGRES_HOST: 'h', DATABASE_URL: 'postgres://x@y/z' }).DATABASE_URL).toBe('postgres://x@y/z');
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });
});
