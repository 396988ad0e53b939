import { defineConfig } from 'vitest/config';

// One command runs every suite: server (integration, real databases), web components (jsdom) and
// end-to-end in a real browser. Database-heavy files run one at a time to spare a 2-core machine.
export default defineConfig({
  // Node loads graphql's CommonJS build for the libraries (Pothos, Yoga); Vite would give our own
  // code the ESM build, and two copies of graphql reject each other's types. One copy for all.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: './web/vite.config.ts',
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['web/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
