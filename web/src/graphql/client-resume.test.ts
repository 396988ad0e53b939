import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHatchClient } from './client.ts';
import { RESUMABLE } from './resume-point.ts';

interface Post {
  token: string;
  body: { query: string; variables?: Record<string, unknown>; extensions: { operationId: string } };
}

/**
 * Just enough of the GraphQL-over-SSE single-connection protocol behind `fetch` for graphql-sse:
 * PUT reserves a stream, GET opens it, POST sends an operation on it, DELETE ends one. Like a real
 * fetch, it refuses a request whose signal is already aborted.
 */
function fakeStreamServer() {
  const streams: ReadableStreamDefaultController<Uint8Array>[] = [];
  const posts: Post[] = [];
  let tokens = 0;
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const headers = (init.headers ?? {}) as Record<string, string>;
    switch (init.method ?? 'GET') {
      case 'PUT':
        return new Response(`t${++tokens}`, { status: 201 });
      case 'GET':
        return new Response(new ReadableStream<Uint8Array>({ start: (c) => void streams.push(c) }), {
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
        });
      case 'POST':
        if (!String(input).endsWith('/graphql/stream')) throw new Error(`unexpected request to ${String(input)}`);
        posts.push({ token: headers['x-graphql-event-stream-token']!, body: JSON.parse(String(init.body)) });
        return new Response(null, { status: 202 });
      default:
        return new Response(null, { status: 200 });
    }
  });
  const write = (event: string, data: unknown) => streams.at(-1)!.enqueue(new TextEncoder().encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  return {
    fetch,
    posts,
    next: (post: Post, payload: unknown) => write('next', { id: post.body.extensions.operationId, payload }),
    complete: (post: Post) => write('complete', { id: post.body.extensions.operationId }),
    /** The connection drops, as when the network goes or the server restarts. */
    drop: () => streams.at(-1)!.error(new TypeError('network error')),
  };
}

const FEED = 'subscription Feed($after: String) { messageUpdated(after: $after) { cursor } }';
const event = (cursor: string) => ({ data: { messageUpdated: { cursor } } });

describe('createHatchClient resuming its feeds', () => {
  afterEach(() => vi.unstubAllGlobals());

  async function started() {
    const server = fakeStreamServer();
    vi.stubGlobal('fetch', server.fetch);
    const hatch = createHatchClient({ origin: 'http://hatch.test' });
    const gaps = vi.fn();
    hatch.gaps.subscribe(gaps);
    const seen: unknown[] = [];
    const { unsubscribe } = hatch.client.subscription(FEED, {}, RESUMABLE).subscribe((r) => seen.push(r.data ?? r.error));
    await vi.waitFor(() => expect(server.posts).toHaveLength(1));
    return { server, hatch, gaps, seen, dispose: () => (unsubscribe(), hatch.dispose()) };
  }

  async function dropAndReconnect(server: ReturnType<typeof fakeStreamServer>, hatch: ReturnType<typeof createHatchClient>) {
    server.drop();
    await vi.waitFor(() => expect(hatch.connection.get().state).toBe('reconnecting'));
    await vi.waitFor(() => expect(hatch.connection.get().state).toBe('live'), { timeout: 3000 });
  }

  it('sends the feed again after its newest cursor once the stream is back, and nothing stale', async () => {
    const { server, hatch, gaps, seen, dispose } = await started();
    try {
      server.next(server.posts[0]!, event('41'));
      server.next(server.posts[0]!, event('42'));
      await vi.waitFor(() => expect(seen).toHaveLength(2));

      await dropAndReconnect(server, hatch);
      await vi.waitFor(() => expect(server.posts).toHaveLength(2));
      await new Promise((r) => setTimeout(r, 100)); // room for a stale re-send, had there been one
      expect(server.posts.map((p) => [p.token, p.body.variables])).toEqual([
        ['t1', {}],
        ['t2', { after: '42' }],
      ]);
      expect(hatch.connection.get().reconnects).toBe(1);
      expect(gaps).not.toHaveBeenCalled();

      server.next(server.posts[1]!, event('43'));
      await vi.waitFor(() => expect(seen).toEqual([event('41').data, event('42').data, event('43').data]));
    } finally {
      dispose();
    }
  });

  it('has views reload when the feed had no event to resume from', async () => {
    const { server, hatch, gaps, dispose } = await started();
    try {
      await dropAndReconnect(server, hatch);
      await vi.waitFor(() => expect(server.posts).toHaveLength(2));
      expect(server.posts[1]!.body.variables).toEqual({});
      expect(gaps).toHaveBeenCalledTimes(1);
    } finally {
      dispose();
    }
  });

  it('starts the feed over, and has views reload, when its cursor has expired', async () => {
    const { server, hatch, gaps, seen, dispose } = await started();
    try {
      server.next(server.posts[0]!, event('42'));
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      await dropAndReconnect(server, hatch);
      await vi.waitFor(() => expect(server.posts).toHaveLength(2));

      server.next(server.posts[1]!, { errors: [{ message: 'expired', extensions: { code: 'CURSOR_EXPIRED' } }] });
      server.complete(server.posts[1]!);
      await vi.waitFor(() => expect(server.posts).toHaveLength(3));
      expect(server.posts[2]!.body.variables).toEqual({});
      expect(gaps).toHaveBeenCalledTimes(1);

      // The urql subscription never saw the error, and goes on.
      server.next(server.posts[2]!, event('50'));
      await vi.waitFor(() => expect(seen).toEqual([event('42').data, event('50').data]));
    } finally {
      dispose();
    }
  });
});
