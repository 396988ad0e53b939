import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { createGraphQLError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { AccessConfig } from '../../config.ts';
import type { Principal } from '../access.ts';
import { schema } from '../../schema/index.ts';
import { GRAPHQL_PATH } from '../graphql.ts';
import { MAX_REQUEST_BYTES } from '../request-body.ts';
import type { SubscriptionHub } from '../streaming/hub.ts';
import type { StreamingCore } from '../streaming/open-stream.ts';
import { forgetRequest } from '../streaming/forget-request.ts';
import { prepare, type Prepared } from '../streaming/operation.ts';
import { connectionAuth, handshakeGate, type Handshake } from './handshake.ts';
import { hubResults, type Sink } from './hub-results.ts';
import { keepAlive } from './keep-alive.ts';
import { serveGraphQLWs, ServerSocket } from './serve.ts';

/** The WebSocket endpoint; an upgrade of /graphql itself is answered the same way. */
export const WS_PATH = `${GRAPHQL_PATH}/ws`;

/** A reader that fell behind is closed with this (1013, "try again later"): it reconnects and resumes by cursor. */
const SLOW_READER = 1013;
/** Too many connections for one credential: 1008 (policy violation), which clients do not retry. */
const POLICY_VIOLATION = 1008;

interface ConnectionState {
  handshake: Handshake;
  principal: Principal;
  /** Stops watching the credential. */
  unwatch: () => void;
  /** The connection's place among the credential's live connections. */
  place: { release(): void };
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
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES, WebSocket: ServerSocket });
  const gate = handshakeGate(core.access, browser);
  const handshakes = new WeakMap<IncomingMessage, Handshake>();

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== WS_PATH && path !== GRAPHQL_PATH) return refuse(socket, 404, 'No WebSocket endpoint here; use /graphql/ws.\n');
    if (draining()) return refuse(socket, 503, 'The server is shutting down.\n');
    const handshake = await gate(req);
    if (handshake instanceof Response) return refuse(socket, handshake.status, await handshake.text());
    handshakes.set(req, handshake);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // The handshake is done and its headers copied into `handshake`: the request, which
      // graphql-ws holds until `connection_init` (onConnect lets go of it), needs them no more.
      forgetRequest(req);
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

  const disposable = serveGraphQLWs<ConnectionState>(
    wss,
    {
      async onConnect(ctx) {
        const handshake = ctx.extra.request && handshakes.get(ctx.extra.request);
        // `extra` lasts as long as the connection, and nothing reads the upgrade request after
        // this: without it, the request and its stream state (about 0.7 KB) go.
        ctx.extra.request = undefined;
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
        // Closed while its credentials were checked: onClose has run already, so nothing to hold.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) {
          place.release();
          return false;
        }
        const unwatch = core.access.watch(auth.principal, () => ctx.extra.socket.close(CloseCode.Unauthorized, 'The credentials were revoked or have expired.'));
        ctx.extra.state = { handshake, principal: auth.principal, unwatch, place };
        return true;
      },
      onClose(ctx) {
        const state = ctx.extra.state;
        ctx.extra.state = undefined;
        state?.unwatch();
        state?.place.release();
      },
      async onSubscribe(ctx, id, payload) {
        const state = ctx.extra.state!;
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
        // graphql-ws keeps the message for the operation's life; its text, parsed by now, is not read again.
        (payload as { query: string }).query = '';
        const runner = new Runner(prepared, core.hub, state.principal, new NextSender(ctx.extra.socket, id, limits.maxBufferedBytes, log, state.principal.name));
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
    log,
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

/**
 * Writes a subscription's results to its socket as the protocol's `next` messages, the hub's JSON
 * as their payload. A reader with more than `maxBufferedBytes` unsent is closed with 1013: it
 * reconnects and resumes by cursor, rather than the server holding events for it without bound.
 */
class NextSender implements Sink {
  private readonly prefix: string;

  constructor(
    private readonly socket: ServerSocket,
    id: string,
    private readonly maxBufferedBytes: number,
    private readonly log: Logger,
    private readonly caller: string,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  write(json: string): boolean {
    const { socket } = this;
    if (socket.readyState !== socket.OPEN) return false;
    socket.send(`${this.prefix}${json}}`);
    if (socket.bufferedAmount <= this.maxBufferedBytes) return true;
    this.log.warn({ mode: 'websocket', caller: this.caller }, 'closed a WebSocket whose reader fell behind; it can resume by cursor');
    socket.close(SLOW_READER, 'Too slow a reader; reconnect and resume by cursor.');
    return false;
  }
}

/**
 * What graphql-ws's execute and subscribe call (it keeps it, as rootValue, for the operation's
 * life). It lets go of the prepared operation once started: that holds the request and Yoga's
 * context, which a subscriber that joins a running execution never needs again.
 */
class Runner {
  private pending: { prepared: Prepared; hub: SubscriptionHub; principal: Principal; sink: Sink } | undefined;

  constructor(prepared: Prepared, hub: SubscriptionHub, principal: Principal, sink: Sink) {
    this.pending = { prepared, hub, principal, sink };
  }

  results(): unknown {
    const { prepared, hub, principal, sink } = this.pending!;
    this.pending = undefined;
    return prepared.kind === 'result' ? prepared.result : hubResults(hub, prepared, principal, sink);
  }
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
