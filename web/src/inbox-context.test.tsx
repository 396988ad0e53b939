import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionTracker } from './graphql/connection.ts';
import { createInbox, InboxContext, useReloadOnGap, useRetryOnReconnect } from './inbox-context.ts';

afterEach(cleanup);

function setup() {
  const inbox = createInbox(new ConnectionTracker());
  const wrapper = ({ children }: { children: ReactNode }) => <InboxContext.Provider value={inbox}>{children}</InboxContext.Provider>;
  const reconnect = () =>
    act(() => {
      inbox.connection.lost();
      inbox.connection.connected(true);
    });
  return { inbox, wrapper, reconnect };
}

describe('useReloadOnGap', () => {
  it('reloads each time the live feed has a gap, and not for a reconnect it resumed across', () => {
    const { inbox, wrapper, reconnect } = setup();
    act(() => inbox.connection.connected(false));
    const reload = vi.fn();
    renderHook(() => useReloadOnGap(reload), { wrapper });
    reconnect();
    expect(reload).not.toHaveBeenCalled();
    act(() => inbox.gaps.report());
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not reload for gaps before the view was shown', () => {
    const { inbox, wrapper } = setup();
    inbox.gaps.report();
    const reload = vi.fn();
    renderHook(() => useReloadOnGap(reload), { wrapper });
    expect(reload).not.toHaveBeenCalled();
  });
});

describe('useRetryOnReconnect', () => {
  it('tries again after a reconnect only while the view shows a failed read', () => {
    const { inbox, wrapper, reconnect } = setup();
    act(() => inbox.connection.connected(false));
    const retry = vi.fn();
    const view = renderHook(({ failed }) => useRetryOnReconnect(failed, retry), { wrapper, initialProps: { failed: false } });
    reconnect();
    expect(retry).not.toHaveBeenCalled();
    view.rerender({ failed: true });
    expect(retry).not.toHaveBeenCalled();
    reconnect();
    expect(retry).toHaveBeenCalledTimes(1);
  });
});
