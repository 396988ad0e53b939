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
export interface BodyRefusals {
  tooLarge: (c: Context<HatchEnv>) => Response;
  /** The body did not finish arriving within `timeoutMs`. */
  tooSlow: (c: Context<HatchEnv>) => Response;
  timeoutMs: number;
}

/**
 * After a 413, the rest of a body of up to this size is read and dropped before the answer goes
 * out, so that the client (which is still sending) reads the 413 rather than a broken pipe, and its
 * keep-alive connection serves its next request. A body declared longer, or one that passes this
 * or the time limit while being dropped, is answered with `Connection: close` at once.
 */
const DISCARD_LIMIT = 64 * 1024 * 1024;

export function readBody(maxBytes: number, refusals: BodyRefusals): MiddlewareHandler<HatchEnv> {
  const inProcess = bodyLimit({ maxSize: maxBytes, onError: refusals.tooLarge });
  return async (c, next) => {
    const incoming = c.env?.incoming as WithRawBody | undefined;
    // No socket (in-process), or something read the body already: Hono's limit on the Fetch body.
    if (!incoming || typeof incoming.on !== 'function' || incoming.readableDidRead) return inProcess(c, next);
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || incoming.rawBody instanceof Buffer) return next();
    const declared = Number(incoming.headers['content-length']);
    if (declared > maxBytes) return discardRest(incoming, refusals.tooLarge(c), declared, refusals.timeoutMs);
    const body = await collect(incoming, maxBytes, refusals.timeoutMs);
    if (body === 'too large') return discardRest(incoming, refusals.tooLarge(c), declared, refusals.timeoutMs);
    // A client that trickles its body (or stops sending) would hold the request and its buffer
    // until Node's own 300 s timeout: answered and cut off instead.
    if (body === 'too slow') return closeAfter(incoming, refusals.tooSlow(c));
    // The client went away while sending: nobody is left to answer.
    if (body === 'gone') return c.body(null, 400);
    incoming.rawBody = body;
    return next();
  };
}

/** A refusal sent before the body was read: the connection cannot serve another request. */
export function closeAfter(incoming: IncomingMessage, response: Response): Response {
  response.headers.set('connection', 'close');
  incoming.socket?.once('finish', () => incoming.destroy());
  return response;
}

function discardRest(incoming: IncomingMessage, response: Response, declared: number, timeoutMs: number): Promise<Response> | Response {
  if (declared > DISCARD_LIMIT || incoming.readableEnded) return incoming.readableEnded ? response : closeAfter(incoming, response);
  return new Promise((resolve) => {
    let dropped = 0;
    const done = (result: Response) => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('close', onEnd);
      resolve(result);
    };
    const timer = setTimeout(() => done(closeAfter(incoming, response)), timeoutMs);
    const onData = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > DISCARD_LIMIT) done(closeAfter(incoming, response));
    };
    const onEnd = () => done(response);
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('close', onEnd);
    incoming.resume();
  });
}

function collect(incoming: WithRawBody, maxBytes: number, timeoutMs: number): Promise<Buffer | 'too large' | 'too slow' | 'gone'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      incoming.pause();
      settle('too slow');
    }, timeoutMs);
    const settle = (result: Buffer | 'too large' | 'too slow' | 'gone') => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onGone);
      incoming.off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      incoming.pause();
      chunks.length = 0;
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
