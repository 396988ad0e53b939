import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createGraphQLError } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AccessConfig } from '../../config.ts';
import type { Principal } from '../access.ts';
import { schema } from '../../schema/index.ts';
import { GRAPHQL_PATH } from '../graphql.ts';
import { MAX_REQUEST_BYTES } from '../request-body.ts';
import type { StreamingCore } from '../streaming/open-stream.ts';
import { forgetRequest } from '../streaming/forget-request.ts';
import { prepare, type Prepared } from '../streaming/operation.ts';
import { connectionAuth, handshakeGate, type Handshake } from './handshake.ts';
import { hubResults } from './hub-results.ts';
import { keepAlive } from './keep-alive.ts';

/** The WebSocket endpoint; an upgrade of /graphql itself is answered the same way. */
export const WS_PATH = `${GRAPHQL_PATH}/ws`;

/** A reader that fell behind is closed with this (1013, "try again later"): it reconnects and resumes by cursor. */
const SLOW_READER = 1013;
/** Too many connections for one credential: 1008 (policy violation), which clients do not retry. */
const POLICY_VIOLATION = 1008;

interface ConnectionState {
  handshake: Handshake;
  principal: Principal;
  /** Stops watching the credential and gives its place back. */
  release: () => void;
}

/**
 * The graphql-ws protocol (`graphql-transport-ws`) over WebSocket, with the graphql-ws server
 * library on `ws`. Operations run through the same pipeline (`prepare`: schema, plugins, limits)
 * and the same subscription hub (shared executions, resume by `after`) as the HTTP transports.
 * Credentials come from `connection_init`'s payload or the handshake; a connection whose
 * credentials are revoked or expire is closed with 4401.
 */
export function attachGraphQLWs(
  server: Server,
  core: StreamingCore,
  browser: AccessConfig,
  /** True while the server shuts down: new connections are refused. */
  draining: () => boolean,
): { close(): Promise<void>; readonly size: number } {
  const { limits, log } = core;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  const gate = handshakeGate(core.access, browser);
  const handshakes = new WeakMap<IncomingMessage, Handshake>();
  const states = new WeakMap<object, ConnectionState>();

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== WS_PATH && path !== GRAPHQL_PATH) return refuse(socket, 404, 'No WebSocket endpoint here; use /graphql/ws.\n');
    if (draining()) return refuse(socket, 503, 'The server is shutting down.\n');
    const handshake = await gate(req);
    if (handshake instanceof Response) return refuse(socket, handshake.status, await handshake.text());
    handshakes.set(req, handshake);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // The handshake is done and its headers copied into `handshake`: the request, which
      // graphql-ws keeps for the connection's life, needs them no more.
      forgetRequest(req);
      refuseServerMessages(ws);
      wss.emit('connection', ws, req);
    });
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(req, socket, head).catch((err) => {
      log.error({ err }, 'WebSocket handshake failed');
      refuse(socket, 500, 'Unexpected error.\n');
    });
  };
  server.on('upgrade', onUpgrade);
  const stopPinging = keepAlive(wss, limits.wsPingMs);

  const disposable = useServer<Record<string, unknown>>(
    {
      isProd: true,
      async onConnect(ctx) {
        const handshake = handshakes.get(ctx.extra.request);
        // graphql-ws keeps the upgrade request in `extra` for the connection's life, and nothing
        // reads it after this: without it, the request and its stream state (about 0.7 KB) go.
        (ctx.extra as { request?: IncomingMessage }).request = undefined;
        if (!handshake) return false;
        const auth = await connectionAuth(core.access, handshake, ctx.connectionParams);
        if (!auth.ok) {
          // Closed here with the precise code; graphql-ws's own close (4403) then finds it closing.
          ctx.extra.socket.close(auth.code, auth.reason);
          return false;
        }
        // A connection is one of the credential's live connections, on every transport together.
        const place = core.holds.take(auth.principal);
        if ('refused' in place) {
          ctx.extra.socket.close(POLICY_VIOLATION, place.refused);
          return false;
        }
        const unwatch = core.access.watch(auth.principal, () => ctx.extra.socket.close(CloseCode.Unauthorized, 'The credentials were revoked or have expired.'));
        const release = () => {
          unwatch();
          place.release();
        };
        states.set(ctx.extra, { handshake, principal: auth.principal, release });
        return true;
      },
      onClose(ctx) {
        states.get(ctx.extra)?.release();
      },
      async onSubscribe(ctx, id, payload) {
        const state = states.get(ctx.extra)!;
        const running = Object.keys(ctx.subscriptions).length;
        if (running > limits.maxSubscriptionsPerStream) {
          return [createGraphQLError(`This connection already runs ${running - 1} operations, the most one connection may.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
        const request = new Request(state.handshake.url, { method: 'POST', headers: state.handshake.headers });
        const params = { query: payload.query, variables: payload.variables, operationName: payload.operationName, extensions: payload.extensions };
        const prepared = await prepare(core.graphql, request, state.principal, params, log);
        // Refused before it ran (syntax, validation, limits): the protocol's `error` message.
        if (prepared.kind === 'result' && !('data' in prepared.result) && prepared.result.errors?.length) {
          return prepared.result.errors.map(publicError);
        }
        const runner = runnerFor(prepared, (p) => hubResults(core.hub, p, state.principal, nextSender(ctx.extra.socket, id, limits.maxBufferedBytes, () => log.warn({ mode: 'websocket', caller: state.principal.name }, 'closed a WebSocket whose reader fell behind; it can resume by cursor'))));
        // The document parsed once, by `prepare`: graphql-ws only carries it to `execute` below.
        return { schema, document: prepared.document!, operationName: payload.operationName, variableValues: payload.variables, rootValue: runner };
      },
      // The operation has already run (or joined the hub) through Yoga's pipeline in onSubscribe.
      execute: (args: ExecutionArgs) => (args.rootValue as Runner).results() as never,
      subscribe: (args: ExecutionArgs) => (args.rootValue as Runner).results() as never,
      // A query's or mutation's one result, masked already: sent as it is. (A subscription's results
      // do not come this way: `hubResults` writes them to the socket itself.)
      onNext: (_ctx, _id, _payload, _args, result) => result as never,
    },
    wss,
    // No keep-alive of graphql-ws's own (two timers per connection): `keepAlive` above pings them all.
    0,
  );

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      stopPinging();
      // Clients are told 1001 (going away) and reconnect, to another replica when there is one.
      await disposable.dispose();
    },
    get size() {
      return wss.clients.size;
    },
  };
}

interface Runner {
  results(): unknown;
}

/**
 * Writes a subscription's results to its socket as the protocol's `next` messages, the hub's JSON
 * as their payload. A reader with more than `maxBufferedBytes` unsent is closed with 1013: it
 * reconnects and resumes by cursor, rather than the server holding events for it without bound.
 */
function nextSender(socket: WebSocket, id: string, maxBufferedBytes: number, onSlowReader: () => void): (json: string) => boolean {
  const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return (json) => {
    if (socket.readyState !== socket.OPEN) return false;
    socket.send(`${prefix}${json}}`);
    if (socket.bufferedAmount <= maxBufferedBytes) return true;
    onSlowReader();
    socket.close(SLOW_READER, 'Too slow a reader; reconnect and resume by cursor.');
    return false;
  };
}

/**
 * What graphql-ws's execute and subscribe call (it keeps it, as rootValue, for the operation's
 * life). It lets go of the prepared operation once started: that holds the request and Yoga's
 * context, which a subscriber that joins a running execution never needs again. Made here, not
 * in onSubscribe, so that its closure holds only these two values (a closure in onSubscribe
 * would hold everything onSubscribe's closures use, the request and the prepared operation too).
 */
function runnerFor(prepared: Prepared, join: (p: Extract<Prepared, { kind: 'subscription' }>) => unknown): Runner {
  let pending: Prepared | undefined = prepared;
  return {
    results() {
      const p = pending!;
      pending = undefined;
      return p.kind === 'result' ? p.result : join(p);
    },
  };
}

/** An error as a client sees it: message, locations, path and code, without Yoga's HTTP hints. */
function publicError(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

/** Answers a handshake with a plain HTTP response and hangs up. */
function refuse(socket: Duplex, status: number, body: string): void {
  if (!socket.writable) return void socket.destroy();
  const type = body.startsWith('{') ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

// Messages only a server sends. graphql-ws answers a client that sends one with 4500 (its own
// internal error) and a console error; it is the client's mistake, so 4400 like any invalid message.
const SERVER_ONLY = /"type"\s*:\s*"(connection_ack|next|error)"/;

/** Closes the socket with 4400 when the client sends a server's message, before graphql-ws reads it. */
function refuseServerMessages(ws: WebSocket): void {
  const on = ws.on.bind(ws) as (event: string, listener: (...args: unknown[]) => void) => WebSocket;
  ws.on = ((event: string, listener: (...args: unknown[]) => void) => {
    if (event !== 'message') return on(event, listener);
    return on('message', (data: unknown, isBinary: unknown) => {
      const text = String(data);
      if (SERVER_ONLY.test(text) && serverOnlyType(text)) return ws.close(4400, 'Invalid message received');
      listener(data, isBinary);
    });
  }) as typeof ws.on;
}

function serverOnlyType(text: string): boolean {
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return type === 'connection_ack' || type === 'next' || type === 'error';
  } catch {
    return false;
  }
}
