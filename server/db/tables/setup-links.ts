import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export const setupLinkColumns = tableColumns('setup_links', ['token_hash', 'created_at'] as const, ['created_at'] as const);

/** The one working set-up link from now on: earlier ones stop working. */
export async function replaceSetupLink(tx: Query, tokenHash: string): Promise<void> {
  await tx.query('DELETE FROM "setup_links"');
  await tx.query('INSERT INTO "setup_links" ("token_hash") VALUES ($1)', [tokenHash]);
}

/** Uses a set-up link up; false when it was not a working one. */
export async function consumeSetupLink(tx: Query, tokenHash: string): Promise<boolean> {
  return (await tx.query('DELETE FROM "setup_links" WHERE "token_hash" = $1 RETURNING "token_hash"', [tokenHash])).length > 0;
}

export async function clearSetupLinks(tx: Query): Promise<void> {
  await tx.query('DELETE FROM "setup_links"');
}
