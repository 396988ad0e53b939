import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceName } from '../schema/access/session.operations.ts';
import { testDatabases } from '../testing/databases.ts';
import { sseClient, subscribe } from '../testing/sse.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';

const LIST = '{ mySessions { id device address current createdAt lastUsedAt } }';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

// "Where you are signed in": each operator sees their own sessions and ends any of them, at once.
describe.each(testDatabases())("an operator's sessions on the $name database", ({ open }) => {
  let t: TestApp;
  const signIn = async (email: string, userAgent: string) => {
    const res = await fetch(`${t.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': userAgent }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    expect(res.status).toBe(200);
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, origin: t.url };
  };
  beforeAll(async () => {
    t = await startTestApp(await open());
    await t.operator('ana.sessions@example.com', undefined, 'Ana');
    await t.operator('bob.sessions@example.com', undefined, 'Bob');
  });
  afterAll(() => t?.close());

  it('lists where one is signed in, this one marked; ends another at once, with its open stream, and never a colleague’s', async () => {
    const laptop = await signIn('ana.sessions@example.com', CHROME);
    const phone = await signIn('ana.sessions@example.com', FIREFOX);
    const bob = await signIn('bob.sessions@example.com', CHROME);
    const mine = (await t.gql(LIST, {}, laptop)).body.data.mySessions as { id: string; device: string; address: string; current: boolean }[];
    const devices = mine.map((s) => `${s.device}${s.current ? ' (this one)' : ''}`).sort();
    expect(devices).toEqual(['Chrome on Windows (this one)', 'Firefox on Linux', 'Unknown device'].sort());
    expect(mine.every((s) => s.address === '127.0.0.1' || s.device === 'Unknown device')).toBe(true);
    const other = mine.find((s) => s.device === 'Firefox on Linux')!;

    // A colleague cannot end it, and learns nothing of it.
    const bobs = (await t.gql(LIST, {}, bob)).body.data.mySessions as { id: string }[];
    expect(bobs.map((s) => s.id)).not.toContain(other.id);
    expect((await t.gql('mutation($id: ID!) { signOutSession(id: $id) { signedOut errors { code } } }', { id: other.id }, bob)).body.data.signOutSession).toEqual({ signedOut: 0, errors: [{ code: 'NOT_FOUND' }] });

    const stream = subscribe(sseClient({ url: t.url, headers: phone }, 'distinct'), 'subscription { messageUpdated { messageId } }');
    try {
      await new Promise((r) => setTimeout(r, 300));
      const ended = (await t.gql('mutation($id: ID!) { signOutSession(id: $id) { signedOut errors { code } } }', { id: other.id }, laptop)).body.data.signOutSession;
      expect(ended).toEqual({ signedOut: 1, errors: [] });
      await stream.until(() => false, 3000).catch(() => undefined);
      expect(JSON.stringify(stream.errors)).toMatch(/UNAUTHENTICATED/);
      // Nothing after the end: a message sent now reaches no stream of that session.
      const seen = stream.events.length;
      await t.gql('mutation { sendMessage(input: { to: "After sign-out", body: "hi" }) { errors { code } } }');
      await new Promise((r) => setTimeout(r, 500));
      expect(stream.events.length).toBe(seen);
    } finally {
      stream.dispose();
    }
    expect((await t.gql(LIST, {}, phone)).status).toBe(401);
    expect((await t.gql(LIST, {}, laptop)).body.data.mySessions.map((s: { device: string }) => s.device)).not.toContain('Firefox on Linux');
  });

  it('signs out everywhere else, keeping this one; refuses programs', async () => {
    const here = await signIn('bob.sessions@example.com', CHROME);
    const away = await signIn('bob.sessions@example.com', FIREFOX);
    const ended = (await t.gql('mutation { signOutOtherSessions { signedOut errors { code } } }', {}, here)).body.data.signOutOtherSessions;
    expect(ended.signedOut).toBeGreaterThanOrEqual(1);
    expect((await t.gql(LIST, {}, away)).status).toBe(401);
    expect((await t.gql(LIST, {}, here)).body.data.mySessions).toEqual([expect.objectContaining({ current: true, device: 'Chrome on Windows' })]);
    expect((await t.gql(LIST)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql('mutation { signOutOtherSessions { signedOut } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('deviceName', () => {
  it('names the browser and system, or says it does not know', () => {
    expect(deviceName(CHROME)).toBe('Chrome on Windows');
    expect(deviceName(FIREFOX)).toBe('Firefox on Linux');
    expect(deviceName(null)).toBe('Unknown device');
    expect(deviceName('curl/8.5.0')).toBe('Unknown device');
  });
});
