import { afterEach, describe, expect, it } from 'vitest';
import { PendingStore, type PendingSend } from './pending-store.ts';

const unsent = (key: string, over: Partial<PendingSend> = {}): PendingSend => ({ key, to: 'Front desk', body: `body ${key}`, startedAt: 1, state: 'sending', ...over });

describe('PendingStore', () => {
  afterEach(() => localStorage.clear());

  it('keeps unsent messages across a reload for the same person, each as unsent', () => {
    const before = new PendingStore('session-1');
    before.add(unsent('a', { startedAt: 2 }));
    before.add(unsent('b', { startedAt: 1 }));
    const after = new PendingStore('session-1');
    expect(after.get().map((p) => [p.key, p.state])).toEqual([
      ['b', 'failed'],
      ['a', 'failed'],
    ]);
    // Someone else signed in on this browser does not get them.
    expect(new PendingStore('session-2').get()).toEqual([]);
  });

  it('forgets one once it is sent, here or in another tab', () => {
    const here = new PendingStore('s');
    here.add(unsent('a'));
    here.add(unsent('b'));
    const other = new PendingStore('s');
    here.remove('a');
    expect(new PendingStore('s').get().map((p) => p.key)).toEqual(['b']);
    other.forgetIfGone('hatch:unsent:s:a');
    expect(other.get().map((p) => p.key)).toEqual(['b']);
  });

  it('lives in memory only without a person to keep them for', () => {
    new PendingStore().add(unsent('a'));
    expect(localStorage.length).toBe(0);
  });
});
