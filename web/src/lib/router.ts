import { useSyncExternalStore } from 'react';

// A handful of screens need no routing library: the path keeps the open conversation across
// reloads and makes Back work; the server answers every path with index.html.

export type Route =
  | { view: 'list' }
  | { view: 'thread'; id: string }
  | { view: 'new' }
  | { view: 'settings' }
  | { view: 'mentions' }
  | { view: 'contacts' }
  | { view: 'person'; address: string }
  | { view: 'sign-in'; next?: string }
  | { view: 'setup' }
  | { view: 'join' };

const PAGES: [RegExp, (m: RegExpExecArray, search: URLSearchParams) => Route][] = [
  [/^\/?$/, () => ({ view: 'list' })],
  [/^\/c\/([^/]+)\/?$/, (m) => ({ view: 'thread', id: decodeURIComponent(m[1]!) })],
  [/^\/new\/?$/, () => ({ view: 'new' })],
  [/^\/settings\/?$/, () => ({ view: 'settings' })],
  [/^\/mentions\/?$/, () => ({ view: 'mentions' })],
  [/^\/contacts\/?$/, () => ({ view: 'contacts' })],
  // A query parameter, not a path segment: an address may hold a dot, and a path with one is a file.
  [/^\/person\/?$/, (_m, search) => (search.get('address') ? { view: 'person', address: search.get('address')! } : { view: 'contacts' })],
  [/^\/sign-in\/?$/, (_m, search) => (search.get('next') ? { view: 'sign-in', next: search.get('next')! } : { view: 'sign-in' })],
  [/^\/setup\/?$/, () => ({ view: 'setup' })],
  [/^\/join\/?$/, () => ({ view: 'join' })],
];

/** The screen a path shows, or undefined when the path is not a page of the inbox (e.g. /graphql). */
export function matchPage(pathname: string, search = ''): Route | undefined {
  const params = new URLSearchParams(search);
  for (const [pattern, route] of PAGES) {
    const m = pattern.exec(pathname);
    if (m) return route(m, params);
  }
  return undefined;
}

export function parseRoute(pathname: string, search = ''): Route {
  return matchPage(pathname, search) ?? { view: 'list' };
}

export function routePath(route: Route): string {
  switch (route.view) {
    case 'thread':
      return `/c/${encodeURIComponent(route.id)}`;
    case 'new':
      return '/new';
    case 'settings':
      return '/settings';
    case 'mentions':
      return '/mentions';
    case 'contacts':
      return '/contacts';
    case 'person':
      return `/person?${new URLSearchParams({ address: route.address })}`;
    case 'setup':
      return '/setup';
    case 'join':
      return '/join';
    case 'sign-in':
      return route.next ? `/sign-in?${new URLSearchParams({ next: route.next })}` : '/sign-in';
    case 'list':
      return '/';
  }
}

const listeners = new Set<() => void>();
let current: { path: string; route: Route } | undefined;

function snapshot(): Route {
  const { pathname, search } = window.location;
  const path = pathname + search;
  if (current?.path !== path) current = { path, route: parseRoute(pathname, search) };
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

/** What the inbox records in each history entry it makes: the path of the entry it was pushed from. */
interface EntryState {
  hatchFrom?: string;
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const path = routePath(route);
  const here = window.location.pathname + window.location.search;
  if (path === here) return;
  if (options.replace) window.history.replaceState(window.history.state, '', path);
  else window.history.pushState({ hatchFrom: here } satisfies EntryState, '', path);
  for (const listener of [...listeners]) listener();
}

/**
 * Goes back to `to` the way the browser's Back would, when the inbox came here from there: then
 * the phone's own Back after it leaves the inbox rather than returning to the screen just closed.
 * From anywhere else (a link opened in a new tab, a reload), `to` replaces this entry.
 */
export function goBack(to: Route): void {
  const from = (window.history.state as EntryState | null)?.hatchFrom;
  if (from !== undefined && from === routePath(to)) window.history.back();
  else navigate(to, { replace: true });
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot, () => ({ view: 'list' }) as Route);
}
