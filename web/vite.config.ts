import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
// `npm run dev` talks to the API that `npm start` serves; override when it runs elsewhere.
const api = process.env.HATCH_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      // Covers /graphql and the single-connection event stream at /graphql/stream.
      '/graphql': { target: api },
      // Sign-in, sign-out, the session and set-up; the session cookie is the API server's.
      '/auth': { target: api },
      '/health': { target: api },
      '/ready': { target: api },
    },
  },
});
