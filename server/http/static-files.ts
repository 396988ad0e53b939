import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, MiddlewareHandler } from 'hono';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The built web inbox (web/dist). A path that names no file and looks like a page (no extension)
 * gets index.html, so client-side routes survive a reload; hashed assets are cached for good.
 */
export function webInbox(dir = WEB_DIST): MiddlewareHandler[] {
  if (!existsSync(path.join(dir, 'index.html'))) {
    return [
      async (c) =>
        c.text('The web inbox is not built. Run `npm run build:web` (npm start does it for you). The API is at /graphql.\n', 503),
    ];
  }
  const cacheFor = (file: string, c: Context) => {
    const immutable = file.startsWith(path.join(dir, 'assets') + path.sep);
    c.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  return [
    serveStatic({ root: dir, onFound: cacheFor }),
    async (c, next) => (path.extname(c.req.path) ? next() : serveStatic({ path: path.join(dir, 'index.html'), onFound: cacheFor })(c, next)),
  ];
}

/** Files of an installed package's folder under `mount` (GraphiQL's scripts and styles). */
export function packageFiles(dir: string, mount: string): MiddlewareHandler {
  return serveStatic({
    root: dir,
    rewriteRequestPath: (p) => p.slice(mount.length) || '/',
    onFound: (_file, c) => void c.header('cache-control', 'public, max-age=86400'),
  });
}
