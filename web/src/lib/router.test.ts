import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from './router.ts';

describe('routes', () => {
  it('round-trips every screen through its path', () => {
    for (const route of [{ view: 'list' }, { view: 'new' }, { view: 'thread', id: '2b8c1a56-0f1d-4e0a-9e2f-3a4b5c6d7e8f' }] as const) {
      expect(parseRoute(routePath(route))).toEqual(route);
    }
  });

  it('sends unknown paths to the list', () => {
    expect(parseRoute('/nope/nope')).toEqual({ view: 'list' });
    expect(parseRoute('/c/abc/')).toEqual({ view: 'thread', id: 'abc' });
  });
});
