import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HatchEnv } from './context.ts';

/** The largest request body the API reads: far above any real operation, far below harm. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

type WithRawBody = IncomingMessage & { rawBody?: Buffer };

/**
 * Reads a request's body from the socket into one Buffer, refusing it with `tooLarge` once it
 * passes `maxBytes` (at once when Content-Length says so), and hands it to the Node adapter as
 * `rawBody`, from which it serves `json()`, `text()` and `body`.
 *
 * Hono's own body limit asks the request for its `body` stream, which makes the adapter build a
 * whole Fetch `Request` around the socket (a web stream whose end-of-stream watchers stay on the
 * request until its socket closes). For an event stream that is about 1.5 KB held for hours per
 * subscriber, and for every other request slower reads. In-process requests (no socket) still go
 * through Hono's limit.
 */
export function readBody(maxBytes: number, tooLarge: (c: Context<HatchEnv>) => Response): MiddlewareHandler<HatchEnv> {
  const inProcess = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const incoming = c.env?.incoming as WithRawBody | undefined;
    // No socket (in-process), or something read the body already: Hono's limit on the Fetch body.
    if (!incoming || typeof incoming.on !== 'function' || incoming.readableDidRead) return inProcess(c, next);
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || incoming.rawBody instanceof Buffer) return next();
    if (Number(incoming.headers['content-length']) > maxBytes) return tooLarge(c);
    const body = await collect(incoming, maxBytes);
    if (body === 'too large') return tooLarge(c);
    // The client went away while sending: nobody is left to answer.
    if (body === 'gone') return c.body(null, 400);
    incoming.rawBody = body;
    return next();
  };
}

function collect(incoming: WithRawBody, maxBytes: number): Promise<Buffer | 'too large' | 'gone'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: Buffer | 'too large' | 'gone') => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onGone);
      incoming.off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // The rest is left unread: the adapter drains (or cuts) it once the 413 is sent.
      incoming.pause();
      settle('too large');
    };
    const onEnd = () => settle(Buffer.concat(chunks, size));
    const onGone = () => settle(incoming.readableEnded ? Buffer.concat(chunks, size) : 'gone');
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onGone);
    incoming.on('close', onGone);
  });
}
