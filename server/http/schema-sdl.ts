import { createHash } from 'node:crypto';
import type { Handler } from 'hono';
import { printSchemaFile } from '../schema/print-schema.ts';
import type { HatchEnv } from './context.ts';
import { GRAPHQL_PATH } from './graphql.ts';

export const SCHEMA_SDL_PATH = `${GRAPHQL_PATH}/schema.graphql`;

/**
 * The schema in SDL, exactly as `schema.graphql` is printed, for consumers' code generators that
 * read a file rather than introspect. Any signed-in caller may read it (a `read` token is enough);
 * the router has refused everyone else with 401.
 */
export function schemaSdl(): Handler<HatchEnv> {
  const sdl = printSchemaFile();
  const etag = `"${createHash('sha256').update(sdl).digest('base64url').slice(0, 27)}"`;
  return (c) => {
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag });
    return c.body(sdl, 200, { 'content-type': 'text/plain; charset=utf-8', etag, 'cache-control': 'private, no-cache' });
  };
}
