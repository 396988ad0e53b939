import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { build } from 'vite';
import codegenConfig from '../../../codegen.ts';
import type { AppDeps } from '../../../server/app.ts';
import type { Database } from '../../../server/db/database.ts';
import { createEmbeddedDatabase } from '../../../server/db/embedded.ts';
import { startTestApp, type TestApp } from '../../../server/testing/test-app.ts';
import { WEBHOOK_TOKEN } from './inbound-sms.ts';

const WEB_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

let built: Promise<void> | undefined;

/** Builds the page the way `npm run build:web` does (codegen, then Vite), once per test file. */
export function buildWeb(): Promise<void> {
  built ??= (async () => {
    await generate({ ...codegenConfig, silent: true }, true);
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: `${WEB_ROOT}vite.config.ts`, root: WEB_ROOT, logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  })();
  return built;
}

export interface Inbox extends TestApp {
  db: Database;
}

/**
 * The real server serving the freshly built page, on an in-memory database unless `dataDir` says
 * where to keep one (to restart on the same data), on a free port unless `port` is given.
 * `beforeStart` may change the data before anyone can hear of it.
 */
export async function startInbox(
  overrides: Partial<AppDeps> = {},
  options: { dataDir?: string; port?: number; beforeStart?: (db: Database) => Promise<void> } = {},
): Promise<Inbox> {
  await buildWeb();
  const db = await createEmbeddedDatabase(options.dataDir);
  await options.beforeStart?.(db);
  return startTestApp(db, { webDir: WEB_DIST, ...overrides, sms: { simulatorToken: WEBHOOK_TOKEN, ...overrides.sms } }, options.port);
}
