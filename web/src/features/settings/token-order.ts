import type { ApiTokenItemFragment } from '../../gql/graphql.ts';

export type ApiTokenItem = ApiTokenItemFragment;

/** As the server lists them: working tokens first, then the newest first. */
export function compareTokens(a: ApiTokenItem, b: ApiTokenItem): number {
  const revoked = Number(a.revokedAt !== null) - Number(b.revokedAt !== null);
  if (revoked !== 0) return revoked;
  return a.createdAt === b.createdAt ? 0 : a.createdAt > b.createdAt ? -1 : 1;
}

/** The list with `token` added or replaced, in order, so a change shows without reloading it. */
export function withToken(list: readonly ApiTokenItem[], token: ApiTokenItem): ApiTokenItem[] {
  return [...list.filter((t) => t.id !== token.id), token].sort(compareTokens);
}
