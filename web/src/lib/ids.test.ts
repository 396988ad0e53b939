import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomId } from './ids.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('makes distinct v4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 100 }, randomId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('still works outside a secure context, where randomUUID is missing', () => {
    vi.stubGlobal('isSecureContext', false);
    expect(randomId()).toMatch(UUID_V4);
  });
});
