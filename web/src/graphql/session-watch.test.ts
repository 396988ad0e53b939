import { CombinedError } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionWatch } from './session-watch.ts';

describe('SessionWatch', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reports a 401 once, however many requests meet it', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 401 })));
    const onEnded = vi.fn();
    const watch = new SessionWatch(onEnded);
    await watch.fetch('/graphql');
    await watch.fetch('/graphql/stream', { method: 'PUT' });
    expect(watch.ended).toBe(true);
    expect(onEnded).toHaveBeenCalledTimes(1);
  });

  it('lets other answers through untouched', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 503 })));
    const watch = new SessionWatch(vi.fn());
    expect((await watch.fetch('/graphql')).status).toBe(503);
    expect(watch.ended).toBe(false);
  });

  it('ends on an UNAUTHENTICATED error pushed down a subscription, not on other errors', () => {
    const onEnded = vi.fn();
    const watch = new SessionWatch(onEnded);
    watch.check(new CombinedError({ graphQLErrors: [{ message: 'nope', extensions: { code: 'FORBIDDEN' } }] }));
    expect(onEnded).not.toHaveBeenCalled();
    watch.check(new CombinedError({ graphQLErrors: [{ message: 'revoked', extensions: { code: 'UNAUTHENTICATED' } }] }));
    expect(onEnded).toHaveBeenCalledTimes(1);
  });
});
