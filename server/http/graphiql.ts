import { createRequire } from 'node:module';
import path from 'node:path';

export const GRAPHIQL_ASSETS = '/graphiql-assets';

/**
 * Yoga's default GraphiQL page loads its scripts from a public CDN, which a self-hosted install
 * behind a firewall (or offline) cannot reach: the page then never leaves "Loading…". This page is
 * the same GraphiQL build, served by Hatch itself from the @graphql-yoga/graphiql package.
 */
export function renderGraphiQL(options: Record<string, unknown>): string {
  const a = GRAPHIQL_ASSETS;
  const workers = {
    editorWorkerService: `${a}/monacoeditorwork/editor.worker.bundle.js`,
    json: `${a}/monacoeditorwork/json.worker.bundle.js`,
    graphql: `${a}/monacoeditorwork/graphql.worker..bundle.js`,
  };
  const title = String(options.title ?? 'GraphiQL').replace(/[<>&"]/g, '');
  // The editor's web workers are fetched and started from blob URLs, as upstream does.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="${a}/graphiql.css"></head>
<body id="body" class="no-focus-outline"><div id="root">Loading ${title}…</div>
<script>
const workers = {}, workerUrls = ${JSON.stringify(workers)};
function prepareWorkers() {
  return Promise.all(Object.entries(workerUrls).map(async ([name, url]) => {
    const text = await (await fetch(url)).text();
    workers[name] = URL.createObjectURL(new Blob([text], { type: 'application/javascript' }));
  }));
}
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => workers[label] };
</script>
<script src="${a}/yoga-graphiql.umd.js"></script>
<script>prepareWorkers().finally(() => YogaGraphiQL.renderYogaGraphiQL(root, ${JSON.stringify(options).replace(/</g, '\\u003c')}));</script>
</body></html>`;
}

/** The folder of GraphiQL's built scripts and styles, served under GRAPHIQL_ASSETS. */
export const GRAPHIQL_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json')), 'dist');
