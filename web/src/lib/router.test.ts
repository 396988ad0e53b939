import { describe, expect, it } from 'vitest';
import { matchPage, parseRoute, routePath, type Route } from './router.ts';

describe('routes', () => {
  it('round-trips every screen through its path', () => {
    const routes: Route[] = [
      { view: 'list' },
      { view: 'new' },
      { view: 'thread', id: '2b8c1a56-0f1d-4e0a-9e2f-3a4b5c6d7e8f' },
      { view: 'settings' },
      { view: 'mentions' },
      { view: 'contacts' },
      { view: 'person', address: '+15551234567' },
      { view: 'person', address: 'Dr. Who & co?' },
      { view: 'setup' },
      { view: 'join' },
      { view: 'sign-in' },
      { view: 'sign-in', next: '/c/abc?x=1' },
    ];
    for (const route of routes) {
      const url = new URL(routePath(route), 'http://hatch.test');
      expect(parseRoute(url.pathname, url.search)).toEqual(route);
    }
  });

  it('sends unknown paths to the list', () => {
    expect(parseRoute('/nope/nope')).toEqual({ view: 'list' });
    expect(parseRoute('/c/abc/')).toEqual({ view: 'thread', id: 'abc' });
  });

  it('tells pages of the inbox from other paths of the server', () => {
    expect(matchPage('/settings')).toEqual({ view: 'settings' });
    expect(matchPage('/graphql')).toBeUndefined();
    expect(matchPage('/health')).toBeUndefined();
  });
});
