import { describe, expect, it } from 'vitest';
import { ConnectionTracker, reconnectDelay } from './connection.ts';

describe('ConnectionTracker', () => {
  it('goes live on the first connection without asking views to reload', () => {
    const t = new ConnectionTracker();
    t.connected(false);
    expect(t.get()).toEqual({ state: 'live', reconnects: 0 });
  });

  it('counts a reconnection after a break once', () => {
    const t = new ConnectionTracker();
    t.connected(false);
    t.lost();
    t.lost();
    expect(t.get().state).toBe('reconnecting');
    t.connected(true);
    expect(t.get()).toEqual({ state: 'live', reconnects: 1 });
    t.connected(false);
    expect(t.get().reconnects).toBe(1);
  });

  it('counts a first connection that only succeeded after failures, since the first loads failed too', () => {
    const t = new ConnectionTracker();
    t.lost();
    t.connected(true);
    expect(t.get()).toEqual({ state: 'live', reconnects: 1 });
  });

  it('treats the first connection after a pause as a reconnection', () => {
    const t = new ConnectionTracker();
    t.connected(false);
    t.paused();
    expect(t.get().state).toBe('paused');
    t.connected(false); // a new stream's first connection
    expect(t.get()).toEqual({ state: 'live', reconnects: 1 });
  });

  it('can be told that retrying is over', () => {
    const t = new ConnectionTracker();
    t.connected(false);
    t.failed();
    expect(t.get().state).toBe('failed');
  });
});

describe('reconnectDelay', () => {
  it('backs off exponentially up to ten seconds', () => {
    expect(reconnectDelay(0, () => 0)).toBe(250);
    expect(reconnectDelay(3, () => 0)).toBe(2000);
    expect(reconnectDelay(20, () => 0.999)).toBe(10_249);
  });
});
