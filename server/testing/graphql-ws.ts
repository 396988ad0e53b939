import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Client as SseClient } from 'graphql-sse';
import { subscribe as sseSubscribe, type Subscription } from './sse.ts';

export interface WsClient {
  client: Client;
  /** Resolves with the close event's code and reason once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * The real graphql-ws client against a running server, on `ws` (Node 20 has no WebSocket of its
 * own). `headers` go on the handshake (a browser's cookie and Origin); `connectionParams` in
 * `connection_init`. It does not retry, so a close is seen as it happened. With `localAddress`
 * (127.0.0.2, …) its connection leaves from that address.
 */
export function wsClient(
  base: string,
  options: { connectionParams?: Record<string, unknown>; headers?: Record<string, string>; path?: string; lazy?: boolean; localAddress?: string } = {},
): WsClient {
  const { headers = {}, localAddress } = options;
  class HandshakeHeaders extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers, localAddress });
    }
  }
  let closed!: (e: { code: number; reason: string }) => void;
  const done = new Promise<{ code: number; reason: string }>((resolve) => (closed = resolve));
  const client = createClient({
    url: `${base.replace(/^http/, 'ws')}${options.path ?? '/graphql/ws'}`,
    webSocketImpl: HandshakeHeaders,
    connectionParams: options.connectionParams,
    lazy: options.lazy ?? true,
    // The tests look at how the socket closed (`closed`); the client would print it as well.
    onNonLazyError: () => {},
    retryAttempts: 0,
    on: {
      closed: (event) => {
        const e = event as { code?: number; reason?: unknown };
        closed({ code: e.code ?? 0, reason: String(e.reason ?? '') });
      },
    },
  });
  return { client, closed: done };
}

/** A subscription through a graphql-ws client, collected like the SSE helper's (same sink shape). */
export function wsSubscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Subscription<T> {
  return sseSubscribe<T>(client as unknown as SseClient<boolean>, query, variables);
}

/** One operation's single result through a graphql-ws client. */
export function wsExecute<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: any[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: T; errors?: any[] } = {};
    client.subscribe<T>(
      { query, variables },
      {
        next: (r) => void (result = r as never),
        error: (err) => (Array.isArray(err) ? resolve({ errors: err }) : reject(err)),
        complete: () => resolve(result),
      },
    );
  });
}

/** The JSON parts of a multipart response as they arrive (Apollo's subscription protocol), `{}` heartbeats included. */
export async function* multipartParts(response: Response): AsyncGenerator<any> {
  const boundary = /boundary="?([^";]+)"?/.exec(response.headers.get('content-type') ?? '')?.[1] ?? '-';
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (;;) {
      const start = buffer.indexOf(`--${boundary}`);
      const next = buffer.indexOf(`\r\n--${boundary}`, start + 1);
      if (start < 0 || next < 0) break;
      const part = buffer.slice(start + boundary.length + 2, next);
      buffer = buffer.slice(next + 2);
      const body = part.slice(part.indexOf('\r\n\r\n') + 4);
      if (body.trim()) yield JSON.parse(body);
    }
    if (buffer.startsWith(`--${boundary}--`)) return;
  }
}
