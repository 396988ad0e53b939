import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSimulatorToken } from '../modules/channels/twilio-sms/simulator-sender.ts';
import { testDatabases } from '../testing/databases.ts';
import { eventually, startTestApp, type TestApp } from '../testing/test-app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }`;

function runInboundCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/sms-inbound.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

describe.each(testDatabases())('simulated SMS (no Twilio credentials) on the $name database', ({ open }) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hatch-sim-'));
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await open(), { sms: { simulatorToken: loadSimulatorToken(dataDir), simulatorStepMs: 50 } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its signing token private in the data folder', () => {
    expect(statSync(path.join(dataDir, 'simulator-auth-token')).mode & 0o777).toBe(0o600);
    expect(loadSimulatorToken(dataDir)).toBe(loadSimulatorToken(dataDir));
  });

  it('takes an SMS to DELIVERED through its own signed status webhooks', async () => {
    const { body } = await t.gql(SEND, { input: { to: '+15557650000', body: 'simulated' } });
    const id = body.data.sendMessage.message.id;
    const m = await eventually(async () => {
      const row = await t.db.prisma.message.findUniqueOrThrow({ where: { id } });
      return row.status === 'DELIVERED' && row;
    });
    const events = await t.db.prisma.messageStatusEvent.findMany({ where: { providerSid: m.providerSid! }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.status)).toEqual(['sent', 'delivered']);
  });

  it("fails Twilio's magic test numbers the way Twilio does", async () => {
    const { body } = await t.gql(SEND, { input: { to: '+15005550001', body: 'to an invalid number' } });
    const id = body.data.sendMessage.message.id;
    const m = await eventually(async () => {
      const row = await t.db.prisma.message.findUniqueOrThrow({ where: { id } });
      return row.status === 'FAILED' && row;
    });
    expect(m).toMatchObject({ errorCode: '21211', errorMessage: 'The number is not a valid phone number.' });
  });

  it('receives an inbound SMS from `npm run sms:inbound`, signed with the data folder token', async () => {
    const run = await runInboundCli(['--from', '+15551239999', '--body', 'hi from the CLI', '--url', t.url], { HATCH_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    expect(run.out).toMatch(/delivered inbound SMS SM[0-9a-f]{32}/);
    expect(run.code).toBe(0);
    const m = await t.db.prisma.message.findFirstOrThrow({ where: { from: '+15551239999' } });
    expect(m).toMatchObject({ body: 'hi from the CLI', direction: 'INBOUND', status: 'RECEIVED', to: '+15005550006' });
  });

  it('is refused by a server with another token, and says so', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'hatch-sim-other-'));
    try {
      const run = await runInboundCli(['--from', '+15551238888', '--body', 'forged', '--url', t.url], { HATCH_DATA_DIR: other, LOG_LEVEL: 'silent' });
      expect(run.code).toBe(1);
      expect(run.out).toMatch(/answered 403/);
      expect(await t.db.prisma.message.count({ where: { from: '+15551238888' } })).toBe(0);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
