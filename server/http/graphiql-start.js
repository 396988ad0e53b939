// Starts GraphiQL on the page server/http/graphiql.ts renders. A file rather than an inline script,
// so the page runs under a Content-Security-Policy of script-src 'self'. Its options arrive as
// JSON in <script id="graphiql-options">. The editor's web workers are Hatch's own files.
const assets = '/graphiql-assets/monacoeditorwork';
const workers = {
  editorWorkerService: `${assets}/editor.worker.bundle.js`,
  json: `${assets}/json.worker.bundle.js`,
  graphql: `${assets}/graphql.worker..bundle.js`,
};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => workers[label] ?? workers.editorWorkerService };
document.addEventListener('DOMContentLoaded', () => {
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
});
