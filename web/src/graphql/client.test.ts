import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHatchClient } from './client.ts';

const refused = () =>
  new Response(JSON.stringify({ errors: [{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }] }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });

describe('createHatchClient', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('stops opening the event stream once the server answers 401, and says the session ended', async () => {
    const fetch = vi.fn(async () => refused());
    vi.stubGlobal('fetch', fetch);
    const onSessionEnded = vi.fn();
    const hatch = createHatchClient({ origin: 'http://hatch.test', onSessionEnded });
    try {
      await vi.waitFor(() => expect(onSessionEnded).toHaveBeenCalledTimes(1));
      // Long enough for several attempts, had it kept retrying (the first retry comes after 250 ms).
      await new Promise((r) => setTimeout(r, 1200));
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(hatch.connection.get().state).not.toBe('reconnecting');
    } finally {
      hatch.dispose();
    }
  });

  it('says the session ended when a query is refused', async () => {
    // The stream stays pending; the query is what meets the 401.
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => (String(input).endsWith('/graphql/stream') ? new Promise<Response>(() => {}) : refused())),
    );
    const onSessionEnded = vi.fn();
    const hatch = createHatchClient({ origin: 'http://hatch.test', onSessionEnded });
    try {
      const result = await hatch.client.query('{ viewer { name } }', {}).toPromise();
      expect(result.error).toBeDefined();
      expect(onSessionEnded).toHaveBeenCalledTimes(1);
    } finally {
      hatch.dispose();
    }
  });
});
