import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GRAPHIQL_ASSETS = '/graphiql-assets';

// The inbox's icon (web/index.html), so the browser does not ask for a /favicon.ico there is none of.
const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%231f4fd1'/%3E%3Cpath d='M9 8h4v6h6V8h4v16h-4v-6h-6v6H9z' fill='white'/%3E%3C/svg%3E";

/** Hatch's own script that starts GraphiQL (server/http/graphiql-start.js). */
export const GRAPHIQL_START = '/graphiql-start.js';
export const GRAPHIQL_START_FILE = fileURLToPath(new URL('./graphiql-start.js', import.meta.url));

/**
 * Yoga's default GraphiQL page loads its scripts from a public CDN, which a self-hosted install
 * behind a firewall (or offline) cannot reach: the page then never leaves "Loading…". This page is
 * the same GraphiQL build, served by Hatch itself from the @graphql-yoga/graphiql package, with no
 * inline script (the options travel as JSON data).
 */
export function renderGraphiQL(options: Record<string, unknown>): string {
  const a = GRAPHIQL_ASSETS;
  const title = String(options.title ?? 'GraphiQL').replace(/[<>&"]/g, '');
  const json = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="${a}/graphiql.css"><link rel="icon" href="${ICON}"></head>
<body id="body" class="no-focus-outline"><div id="root">Loading ${title}…</div>
<script id="graphiql-options" type="application/json">${json}</script>
<script src="${GRAPHIQL_START}"></script>
<script src="${a}/yoga-graphiql.umd.js"></script>
</body></html>`;
}

/** The folder of GraphiQL's built scripts and styles, served under GRAPHIQL_ASSETS. */
export const GRAPHIQL_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')), 'dist');
