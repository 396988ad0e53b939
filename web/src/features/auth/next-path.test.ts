import { describe, expect, it } from 'vitest';
import { destination } from './next-path.ts';

const origin = 'http://hatch.test';

describe('destination after signing in', () => {
  it('opens a page of the inbox in place', () => {
    expect(destination('/c/abc', origin)).toEqual({ kind: 'page', route: { view: 'thread', id: 'abc' } });
    expect(destination('/settings', origin)).toEqual({ kind: 'page', route: { view: 'settings' } });
    expect(destination(undefined, origin)).toEqual({ kind: 'page', route: { view: 'list' } });
  });

  it('loads any other path of the server in full', () => {
    expect(destination('/graphql', origin)).toEqual({ kind: 'load', path: '/graphql' });
    expect(destination('/graphql?query=%7B%7D', origin)).toEqual({ kind: 'load', path: '/graphql?query=%7B%7D' });
  });

  it.each(['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'evil.example', 'javascript:alert(1)', '/\t/evil.example', ''])(
    'never leaves the server for %j',
    (next) => {
      expect(destination(next, origin)).toEqual({ kind: 'page', route: { view: 'list' } });
    },
  );

  it.each(['/.//evil.example', '/..//evil.example', '/x/..//evil.example', '/%2e//evil.example', '/%2E%2E//evil.example/path', '/./\\evil.example', '/a/b/../..//evil.example?x=1'])(
    'never leaves the server for %j, which normalises to a path starting "//"',
    (next) => {
      const went = destination(next, origin);
      expect(went).toEqual({ kind: 'page', route: { view: 'list' } });
      // And, were it loaded, it would stay on this origin.
      if (went.kind === 'load') expect(new URL(went.path, origin).origin).toBe(origin);
    },
  );

  it('does not go back to a sign-in or set-up page', () => {
    expect(destination('/sign-in?next=/sign-in', origin)).toEqual({ kind: 'page', route: { view: 'list' } });
    expect(destination('/setup', origin)).toEqual({ kind: 'page', route: { view: 'list' } });
  });
});
