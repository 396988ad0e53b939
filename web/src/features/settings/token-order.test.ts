import { describe, expect, it } from 'vitest';
import { withToken, type ApiTokenItem } from './token-order.ts';

const token = (id: string, createdAt: string, revokedAt: string | null = null): ApiTokenItem => ({
  id,
  name: id,
  scope: 'READ',
  createdAt,
  createdBy: 'Ana',
  lastUsedAt: null,
  revokedAt,
});

describe('withToken', () => {
  it('adds a new token at the top and moves a revoked one below the working ones', () => {
    const old = token('old', '2026-11-01T00:00:00.000Z');
    const mid = token('mid', '2026-11-02T00:00:00.000Z');
    let list = withToken([mid, old], token('new', '2026-11-03T00:00:00.000Z'));
    expect(list.map((t) => t.id)).toEqual(['new', 'mid', 'old']);
    list = withToken(list, { ...list[0]!, revokedAt: '2026-11-04T00:00:00.000Z' });
    expect(list.map((t) => t.id)).toEqual(['mid', 'old', 'new']);
  });
});
