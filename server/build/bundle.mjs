// The server and its commands as a few bundled files, for start-up time. Node spends most of a
// command's life, and most of the server's time to its first answer, finding, reading and
// compiling modules one file at a time (about 1,300 for the server, 300 for a token command: zod
// and libphonenumber alone are 200); one file per entry point, and a chunk per shared or
// lazily loaded part, start in about a third less time. Dynamic imports stay chunks of their own,
// so a command still loads only the parts its path reaches (no database driver when it goes
// through the running server, no Prisma when it needs plain SQL).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** The files `node dist/server/…` runs: the server and every command. */
export const ENTRY_POINTS = ['server/main.ts', 'server/cli/admin.ts', 'server/cli/sms-inbound.ts', 'server/cli/db-migrate.ts', 'server/cli/import-legacy.ts'];

/**
 * Left as packages, loaded from node_modules at run time: those that find files of their own
 * beside their code (PGlite's WebAssembly and data, Prisma's query compiler, pino's worker, the
 * GraphiQL assets), those loaded only on some paths anyway (Twilio's library, the password prompt),
 * and pg, which Prisma's adapter imports too (one copy, one pool type).
 */
const EXTERNAL = ['@electric-sql/pglite', 'pglite-prisma-adapter', '@prisma/*', 'pg', 'pino', 'pino-pretty', 'twilio', 'twilio/*', '@graphql-yoga/graphiql', 'read', 'bufferutil', 'utf-8-validate'];

const DIST_PLACEHOLDER = '__HATCH_DIST__';

/**
 * A module finds files relative to itself (`new URL('../../prisma/migrations/', import.meta.url)`).
 * Bundled, its code no longer lives at its own path; `import.meta.url` becomes the URL its
 * compiled file would have had (dist/server/db/migrator.js), from `__hatchDist` (dist/ as seen
 * from whichever output file the code landed in, set per file after the build), so every such
 * path means what it meant.
 */
const ownImportMeta = (root) => ({
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const file = path.relative(root, args.path);
      if (file.startsWith('..') || file.includes('node_modules')) return undefined;
      if (/import\.meta\.(dirname|filename|resolve)/.test(source)) {
        return { errors: [{ text: `${file}: only import.meta.url is carried over into the bundle; use new URL(…, import.meta.url)` }] };
      }
      const home = JSON.stringify(file.replace(/\.ts$/, '.js'));
      return { contents: source.replaceAll('import.meta.url', `new URL(${home}, __hatchDist).href`), loader: 'ts' };
    });
  },
});

export async function bundleServer(root, dist) {
  const outdir = path.join(dist, 'server');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outbase: 'server',
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL,
    sourcemap: 'linked',
    sourcesContent: false,
    // Bundled CommonJS packages call require() for Node's modules; an ES module has none of its own.
    banner: {
      js: `import { createRequire as __hatchCreateRequire } from 'node:module'; const require = __hatchCreateRequire(import.meta.url); const __hatchDist = new URL('${DIST_PLACEHOLDER}', import.meta.url);`,
    },
    plugins: [ownImportMeta(root)],
    logLevel: 'warning',
    write: false,
  });
  // The banner is the first line, which maps to no source: changing it moves nothing in the maps.
  for (const file of result.outputFiles) {
    const text = file.path.endsWith('.js') ? file.text.replace(DIST_PLACEHOLDER, `${path.relative(path.dirname(file.path), dist) || '.'}/`) : file.text;
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(file.path, text);
  }
}
