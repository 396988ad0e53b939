import { describe, expect, it, vi } from 'vitest';
import type { SessionCheck } from './auth-api.ts';
import { AuthStore } from './auth-store.ts';

const ana = { kind: 'operator' as const, id: 'o1', name: 'Ana', email: 'ana@example.com', authRequired: true };

function store(check: SessionCheck, signOut = true) {
  return new AuthStore({ checkSession: vi.fn(async () => check), signOut: vi.fn(async () => signOut) });
}

describe('AuthStore', () => {
  it('learns from the server whether the window is signed in', async () => {
    const signedIn = store({ kind: 'signed-in', session: ana });
    expect(signedIn.get()).toEqual({ status: 'checking' });
    await signedIn.check();
    expect(signedIn.get()).toEqual({ status: 'signed-in', session: ana });

    const signedOut = store({ kind: 'signed-out' });
    await signedOut.check();
    expect(signedOut.get()).toEqual({ status: 'signed-out', ended: false });

    const down = store({ kind: 'unreachable' });
    await down.check();
    expect(down.get()).toEqual({ status: 'unreachable' });
  });

  it('says the session ended only when it had been signed in', async () => {
    const s = store({ kind: 'signed-out' });
    await s.check();
    s.ended();
    expect(s.get()).toEqual({ status: 'signed-out', ended: false });
    s.signedIn(ana);
    s.ended();
    expect(s.get()).toEqual({ status: 'signed-out', ended: true });
  });

  it('remembers that the person signed out by choice (they start again in the inbox, not where they were)', async () => {
    const s = store({ kind: 'signed-in', session: ana });
    await s.check();
    expect(await s.signOut()).toBe(true);
    expect(s.get()).toEqual({ status: 'signed-out', ended: false, byChoice: true });
  });

  it('counts the session refused while signing out as that sign-out, not as a session ended elsewhere', async () => {
    let answer!: (ok: boolean) => void;
    const s = new AuthStore({ checkSession: async () => ({ kind: 'signed-in', session: ana }), signOut: () => new Promise((r) => (answer = r)) });
    await s.check();
    const out = s.signOut();
    s.ended(); // the live stream is refused before the sign-out's own answer arrives
    expect(s.get()).toEqual({ status: 'signed-out', ended: false, byChoice: true });
    answer(true);
    expect(await out).toBe(true);
    expect(s.get()).toEqual({ status: 'signed-out', ended: false, byChoice: true });
    s.signedIn(ana);
    s.ended();
    expect(s.get()).toEqual({ status: 'signed-out', ended: true });
  });

  it('stays signed in when the server could not be told to sign out', async () => {
    const s = store({ kind: 'signed-in', session: ana }, false);
    await s.check();
    expect(await s.signOut()).toBe(false);
    expect(s.get().status).toBe('signed-in');
  });
});
