import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A picture for MMS tests: the closed network has no carrier media to point at.
const PICTURE = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320" viewBox="0 0 480 320">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8ec5ff"/><stop offset="1" stop-color="#e0f0ff"/></linearGradient></defs>
  <rect width="480" height="320" fill="url(#sky)"/>
  <circle cx="380" cy="80" r="36" fill="#ffd166"/>
  <path d="M0 240 L120 140 L220 230 L320 120 L480 250 L480 320 L0 320 Z" fill="#3a7d44"/>
  <path d="M0 280 L480 260 L480 320 L0 320 Z" fill="#2e6a8e"/>
</svg>`;

/** Serves one picture at `${url}/picture.svg` until closed. */
export async function startMediaServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
    res.end(PICTURE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
