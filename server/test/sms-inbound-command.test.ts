import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSimulatorToken } from '../modules/channels/twilio-sms/simulator-sender.ts';
import { testDatabases } from '../testing/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm run sms:inbound -- …` as a person runs it, with the environment given. */
function smsInbound(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/sms-inbound.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', TWILIO_AUTH_TOKEN: '', TWILIO_ACCOUNT_SID: '', PUBLIC_URL: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

describe('npm run sms:inbound', () => {
  const serverDir = mkdtempSync(path.join(tmpdir(), 'hatch-server-data-'));
  const otherDir = mkdtempSync(path.join(tmpdir(), 'hatch-other-data-'));
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await testDatabases()[0]!.open(), { sms: { simulatorToken: loadSimulatorToken(serverDir) } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(serverDir, { recursive: true, force: true });
    rmSync(otherDir, { recursive: true, force: true });
  });

  it("explains a 403: pass the server's HATCH_DATA_DIR", async () => {
    const run = await smsInbound({ HATCH_DATA_DIR: otherDir }, ['--from', '+15551234567', '--body', 'hi', '--url', t.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the server answered 403');
    expect(run.stderr).toContain(`signed with the simulator token kept in ${otherDir}`);
    expect(run.stderr).toContain("HATCH_DATA_DIR=<the server's HATCH_DATA_DIR> npm run sms:inbound");
    expect(await t.db.query('SELECT 1 FROM messages')).toEqual([]);
  });

  it('delivers with the same data folder as the server', async () => {
    const run = await smsInbound({ HATCH_DATA_DIR: serverDir }, ['--from', '+15551234567', '--body', 'hi', '--url', t.url]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^delivered inbound SMS SM[0-9a-f]+ from \+15551234567/);
  });

  it('reads --from as the server reads a number: "(555) 123-4567" is the same contact as +15551234567', async () => {
    const run = await smsInbound({ HATCH_DATA_DIR: serverDir, TWILIO_PHONE_NUMBER: '+15005550006' }, ['--from', '(555) 123-4567', '--body', 'typed', '--url', t.url]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const rows = await t.db.query<{ from: string }>(`SELECT "from" FROM messages WHERE body = 'typed'`);
    expect(rows).toEqual([{ from: '+15551234567' }]);
    const conversations = await t.db.query('SELECT id FROM conversations WHERE participant_a = $1 OR participant_b = $1', ['(555) 123-4567']);
    expect(conversations).toEqual([]);
    // Not a number at all: refused, nothing sent.
    const bad = await smsInbound({ HATCH_DATA_DIR: serverDir }, ['--from', 'Alice', '--body', 'named', '--url', t.url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "Alice" is not a phone number/);
    expect(await t.db.query(`SELECT 1 FROM messages WHERE body = 'named'`)).toEqual([]);
  });

  it('writes on WhatsApp with "whatsapp:" in front, to the WhatsApp sender', async () => {
    const run = await smsInbound({ HATCH_DATA_DIR: serverDir, TWILIO_PHONE_NUMBER: '+15005550006' }, ['--from', 'whatsapp:(555) 123-4568', '--body', 'on whatsapp', '--url', t.url]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^delivered inbound WhatsApp message SM[0-9a-f]+ from whatsapp:\+15551234568 to whatsapp:\+15005550006/);
    const rows = await t.db.query(`SELECT "from", "to", channel FROM messages WHERE body = 'on whatsapp'`);
    expect(rows).toEqual([{ from: 'whatsapp:+15551234568', to: 'whatsapp:+15005550006', channel: 'WHATSAPP' }]);
  });
});
