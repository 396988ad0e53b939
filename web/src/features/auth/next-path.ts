import { matchPage, type Route } from '../../lib/router.ts';

export type Destination = { kind: 'page'; route: Route } | { kind: 'load'; path: string };

/**
 * Where to go after signing in. Only a path on this server: `next` comes from the address bar,
 * and a link that signs someone in and then sends them to another site ("//evil.example", or a
 * backslash that browsers read as a slash) must lead nowhere but the inbox.
 */
export function destination(next: string | undefined, origin = window.location.origin): Destination {
  const home: Destination = { kind: 'page', route: { view: 'list' } };
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f]/.test(next)) return home;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return home;
  }
  // Checked again after the URL has been normalised: "/.//evil.example", "/x/..//evil.example" and
  // "/%2e//evil.example" all resolve to the path "//evil.example", which a browser loads as another
  // host. Only a path that still starts with a single slash stays on this server.
  if (url.origin !== origin || url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return home;
  const route = matchPage(url.pathname, url.search);
  if (!route) return { kind: 'load', path: url.pathname + url.search + url.hash };
  // Never back to a sign-in page: that would loop.
  return route.view === 'sign-in' || route.view === 'setup' || route.view === 'join' ? home : { kind: 'page', route };
}

/** What to keep as `next` when the sign-in page takes over: the page the person asked for. */
export function currentAsNext(): string | undefined {
  const { pathname, search } = window.location;
  const route = matchPage(pathname, search);
  if (route?.view === 'list' || route?.view === 'sign-in' || route?.view === 'setup' || route?.view === 'join') return undefined;
  return pathname + search;
}
