import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions, type WebSocket as ProtocolSocket } from 'graphql-ws';
import type { Logger } from 'pino';
import { WebSocket, type RawData, type WebSocketServer } from 'ws';

/** What graphql-ws's hooks see as `ctx.extra`: the socket, its upgrade request, and the connection's own state. */
export interface Extra<S> {
  socket: ServerSocket;
  /** Until `connection_init`: a hook that has read it lets go of it (Node keeps it large). */
  request: IncomingMessage | undefined;
  state: S | undefined;
}

// Messages only a server sends. graphql-ws answers a client that sends one with 4500 (its own
// internal error) and a console error; it is the client's mistake, so 4400 like any invalid message.
const SERVER_ONLY = /"type"\s*:\s*"(connection_ack|next|error)"/;

/**
 * The server's sockets. The protocol's handlers of a connection live in two fields, and the
 * listeners that call them are shared by every socket (called with it as `this`), rather than
 * closures made for each connection.
 */
export class ServerSocket extends WebSocket {
  /** graphql-ws's handler of this connection's messages. */
  received: ((data: string) => Promise<void>) | undefined = undefined;
  /** What graphql-ws runs when this connection closes. */
  closed: ((code: number, reason: string) => Promise<void>) | undefined = undefined;

  /** A client that sends a server's message is closed with 4400, before graphql-ws reads it. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'message') {
      const text = String(args[0]);
      if (SERVER_ONLY.test(text) && serverOnlyType(text)) {
        this.close(4400, 'Invalid message received');
        return true;
      }
    }
    return super.emit(event, ...args);
  }
}

function serverOnlyType(text: string): boolean {
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return type === 'connection_ack' || type === 'next' || type === 'error';
  } catch {
    return false;
  }
}

/** The socket as graphql-ws's protocol server drives it: methods on the prototype, one field. */
class Adapter implements ProtocolSocket {
  constructor(private readonly ws: ServerSocket) {}

  get protocol(): string {
    return this.ws.protocol;
  }

  send(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) return resolve();
      this.ws.send(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  onMessage(cb: (data: string) => Promise<void>): void {
    this.ws.received = cb;
  }
}

/**
 * graphql-ws's protocol server (`makeServer`, the library's seam for transports of one's own) on
 * `ws` sockets: what the library's `useServer` does, without its keep-alive (see keep-alive.ts) and
 * without its eight closures and two `once` wrappers per connection, which at tens of thousands of
 * connections were about 1 KB each. Errors go to the log rather than the console. The server's
 * sockets must be `ServerSocket`s (the `WebSocket` option of the `WebSocketServer`).
 */
export function serveGraphQLWs<S>(wss: WebSocketServer, options: ServerOptions<Record<string, unknown>, Extra<S>>, log: Logger): { dispose(): Promise<void> } {
  const server = makeServer<Record<string, unknown>, Extra<S>>(options);
  wss.options.handleProtocols = handleProtocols;

  const internalError = (socket: WebSocket, err: unknown, what: string) => {
    log.error({ err }, `WebSocket: unexpected error ${what}`);
    socket.close(CloseCode.InternalServerError, 'Internal server error');
  };
  // `this` is the socket; each is one of the server's, a ServerSocket.
  function onMessage(this: WebSocket, data: RawData): void {
    (this as ServerSocket).received?.(String(data)).catch((err: unknown) => internalError(this, err, 'handling a message'));
  }
  function onClose(this: WebSocket, code: number, reason: Buffer): void {
    (this as ServerSocket).closed?.(code, String(reason)).catch((err: unknown) => log.error({ err }, 'WebSocket: unexpected error closing a connection'));
  }
  function onError(this: WebSocket, err: Error): void {
    internalError(this, err, 'on a socket');
  }

  wss.on('error', (err) => {
    log.error({ err }, 'WebSocket: unexpected error on the server');
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });
  wss.on('connection', (socket: ServerSocket, request: IncomingMessage) => {
    socket.on('error', onError);
    socket.on('message', onMessage);
    socket.closed = server.opened(new Adapter(socket), { socket, request, state: undefined });
    socket.on('close', onClose);
  });

  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
