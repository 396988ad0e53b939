import type { ServerResponse } from 'node:http';
import { forgetRequest } from './forget-request.ts';

export type CloseReason = 'client gone' | 'slow reader' | 'done' | 'server stopping' | 'revoked' | 'expired';

/**
 * One client's server-sent event stream. Frames go straight to the socket; a client that stops
 * reading is cut off once `maxBufferedBytes` wait unsent (it reconnects and resumes by cursor),
 * so a slow or stalled reader never makes the server hold events for it without bound.
 */
export abstract class EventStream {
  private closeHandlers: ((reason: CloseReason) => void)[] = [];
  closed = false;

  /** Writes a frame; false when the stream is closed (or was closed because the reader lags). */
  abstract write(frame: string): boolean;
  protected abstract finish(): void;

  onClose(handler: (reason: CloseReason) => void): void {
    if (this.closed) handler('done');
    else this.closeHandlers.push(handler);
  }

  close(reason: CloseReason = 'done'): void {
    if (this.closed) return;
    this.closed = true;
    this.finish();
    const handlers = this.closeHandlers;
    this.closeHandlers = [];
    for (const handler of handlers) handler(reason);
  }
}

export const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Tells nginx (and proxies that honour it) not to buffer the stream.
  'x-accel-buffering': 'no',
};

/**
 * An event stream written to a node:http response: no web-stream machinery per frame. `headers`
 * may set another content type and `preamble` another first frame (the multipart transport).
 */
export class NodeEventStream extends EventStream {
  constructor(
    private readonly res: ServerResponse,
    headers: Record<string, string>,
    private readonly maxBufferedBytes: number,
    preamble = ':\n\n',
  ) {
    super();
    // The fetch adapter in front of the router keeps a close handler holding the whole Fetch-API
    // request (headers, body streams, abort controller: about 20 KB) to abort it when the client
    // leaves. From here on the stream is the request's only user and watches `close` itself, so
    // the handler goes and that memory is freed for the stream's life (measured in the benchmark).
    res.removeAllListeners('close');
    res.writeHead(200, { ...STREAM_HEADERS, ...headers });
    res.flushHeaders();
    forgetRequest(res.req);
    // Some browsers (Firefox, Safari) wait for a first byte of the body before they report the stream open.
    res.write(preamble);
    res.on('close', () => this.close('client gone'));
  }

  write(frame: string): boolean {
    if (this.closed) return false;
    this.res.write(frame);
    if (this.res.writableLength > this.maxBufferedBytes) {
      this.close('slow reader');
      return false;
    }
    return true;
  }

  protected finish(): void {
    // A reader that stopped reading would never drain an end; cut it.
    if (this.res.writableLength > this.maxBufferedBytes) this.res.destroy();
    else this.res.end();
  }
}

/** An event stream as a fetch Response, for when the server runs in-process (no socket). */
export class WebEventStream extends EventStream {
  readonly response: Response;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly encoder = new TextEncoder();

  constructor(
    headers: Record<string, string>,
    private readonly maxBufferedBytes: number,
    preamble = ':\n\n',
  ) {
    super();
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        cancel: () => this.close('client gone'),
      },
      { highWaterMark: maxBufferedBytes, size: (chunk) => chunk.byteLength },
    );
    this.response = new Response(body, { status: 200, headers: { ...STREAM_HEADERS, ...headers } });
    this.write(preamble);
  }

  write(frame: string): boolean {
    if (this.closed) return false;
    this.controller.enqueue(this.encoder.encode(frame));
    if ((this.controller.desiredSize ?? 0) < 0) {
      this.close('slow reader');
      return false;
    }
    return true;
  }

  protected finish(): void {
    try {
      this.controller.close();
    } catch {
      // already cancelled by the reader
    }
  }
}

// The hub hands every subscriber of a shared execution the same JSON, one after another: the
// frame around it is made once per event, not once per stream (as the reference server does).
let lastNext: { json: string; frame: string } | undefined;

/** The `next` frame of one result, the same string for every stream it goes to. */
export function nextFrame(json: string): string {
  if (lastNext?.json !== json) lastNext = { json, frame: frame('next', json) };
  return lastNext.frame;
}

/** `event: <name>` with one line of JSON data (or none), as the GraphQL-over-SSE protocol frames it. */
export function frame(event: 'next' | 'complete', json?: string): string {
  return json === undefined ? `event: ${event}\ndata:\n\n` : `event: ${event}\ndata: ${json}\n\n`;
}

const PING = ':\n\n';
const PING_EVERY_MS = 12_000;

/**
 * Keeps idle streams alive through proxies that drop quiet connections: one timer for every open
 * stream (not one per stream), and the smallest frame the protocol allows (a comment line).
 */
export class Heartbeat {
  private readonly streams = new Set<EventStream>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** The frame written to every stream at each beat (made anew each time when a function). */
    private readonly ping: string | (() => string) = PING,
    private readonly everyMs = PING_EVERY_MS,
  ) {}

  add(stream: EventStream): void {
    this.streams.add(stream);
    stream.onClose(() => {
      this.streams.delete(stream);
      // No stream, no timer: an idle server wakes for nothing.
      if (this.streams.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    });
    if (!this.timer) {
      this.timer = setInterval(() => {
        const frame = typeof this.ping === 'function' ? this.ping() : this.ping;
        for (const s of this.streams) s.write(frame);
      }, this.everyMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.streams.size;
  }

  /** Closes every stream (server shutdown): clients reconnect, elsewhere if there is an elsewhere. */
  closeAll(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const s of [...this.streams]) s.close('server stopping');
  }
}
