import { useSyncExternalStore } from 'react';

// Three screens need no routing library: the path keeps the open conversation across reloads and
// makes Back work; the server answers every path with index.html.

export type Route = { view: 'list' } | { view: 'thread'; id: string } | { view: 'new' };

export function parseRoute(pathname: string): Route {
  const thread = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (thread) return { view: 'thread', id: decodeURIComponent(thread[1]!) };
  if (/^\/new\/?$/.test(pathname)) return { view: 'new' };
  return { view: 'list' };
}

export function routePath(route: Route): string {
  if (route.view === 'thread') return `/c/${encodeURIComponent(route.id)}`;
  if (route.view === 'new') return '/new';
  return '/';
}

const listeners = new Set<() => void>();
let current: { path: string; route: Route } | undefined;

function snapshot(): Route {
  const path = window.location.pathname;
  if (current?.path !== path) current = { path, route: parseRoute(path) };
  return current.route;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const path = routePath(route);
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of [...listeners]) listener();
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot, () => ({ view: 'list' }) as Route);
}
