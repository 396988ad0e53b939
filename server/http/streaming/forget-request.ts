import type { IncomingMessage } from 'node:http';

/**
 * Lets go of what a request brought once a long-lived connection (an event stream, a WebSocket)
 * has been opened from it: its headers, twice over (Node's raw list and the object made from it),
 * and its body. Node keeps the request object for as long as its response or socket is open, and
 * nothing reads these again by then (the operation is prepared, the credentials checked, the
 * request logged), so at tens of thousands of connections they are about 1 KB each of memory for
 * nothing. Node has no way of its own to drop them; `headers` has a setter for this kind of use.
 */
export function forgetRequest(req: IncomingMessage & { rawBody?: Buffer }): void {
  req.rawHeaders = [];
  req.headers = {};
  req.rawBody = undefined;
}
