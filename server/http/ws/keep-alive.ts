import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Pings every WebSocket of `wss` each `everyMs`, and cuts one that has not answered the last ping
 * by the next (a peer gone without a close: a laptop shut, a network dropped). graphql-ws does the
 * same with two timers and their closures for each connection; this is one timer for them all, as
 * the event streams' heartbeat is, which at tens of thousands of connections is about 0.5 KB each
 * less. Returns the way to stop it.
 */
export function keepAlive(wss: WebSocketServer, everyMs: number): () => void {
  const unanswered = new WeakSet<WebSocket>();
  // One listener for every socket (called with the socket as `this`), not a closure for each.
  function answered(this: WebSocket): void {
    unanswered.delete(this);
  }
  const onConnection = (ws: WebSocket) => void ws.on('pong', answered);
  wss.on('connection', onConnection);
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (unanswered.has(ws)) {
        ws.terminate();
        continue;
      }
      unanswered.add(ws);
      ws.ping();
    }
  }, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    wss.off('connection', onConnection);
  };
}
