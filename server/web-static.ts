import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

export const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

/**
 * Serves the built web inbox (web/dist). Unknown paths get index.html so client-side routes
 * survive a reload; hashed assets are cached for good.
 */
export function createWebHandler(dir = WEB_DIST): (req: IncomingMessage, res: ServerResponse) => void {
  if (!existsSync(`${dir}/index.html`)) {
    return (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The web inbox is not built. Run `npm run build:web` (npm start does it for you). The API is at /graphql.\n');
    };
  }
  const serve = sirv(dir, {
    single: true,
    etag: true,
    setHeaders(res, pathname) {
      if (pathname.startsWith('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'no-cache');
    },
  });
  return (req, res) =>
    serve(req, res, () => {
      res.writeHead(404).end();
    });
}
