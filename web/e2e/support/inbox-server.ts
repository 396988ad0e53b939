import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { build } from 'vite';
import codegenConfig from '../../../codegen.ts';
import type { AppDeps } from '../../../server/app.ts';
import type { Database } from '../../../server/db/database.ts';
import { createEmbeddedDatabase } from '../../../server/db/embedded.ts';
import { countOperators, createOperator } from '../../../server/modules/access/operators.service.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../../../server/testing/test-app.ts';
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

export interface Credentials {
  email: string;
  password: string;
}

/** The operator the browser tests sign in as; the name is what "Sent by …" shows. */
export const OPERATOR = { name: 'Ana', email: 'ana@example.com', password: TEST_PASSWORD };

export interface Inbox extends TestApp {
  db: Database;
  /** Whom pages of this inbox sign in as; undefined for an inbox started without an operator. */
  signIn: Credentials | undefined;
}

// By origin, so that openInbox, which is given a URL, knows whom to sign in as.
const signIns = new Map<string, Credentials>();

export function credentialsFor(url: string): Credentials | undefined {
  return signIns.get(new URL(url).origin);
}

/** The operator, made once per database: a server restarted on the same data already has them. */
async function ensureOperator(db: Database): Promise<Credentials> {
  if ((await countOperators(db)) === 0) {
    const made = await createOperator(db, OPERATOR);
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
  }
  return { email: OPERATOR.email, password: OPERATOR.password };
}

/**
 * The real server serving the freshly built page, on an in-memory database unless `dataDir` says
 * where to keep one (to restart on the same data), on a free port unless `port` is given.
 * `beforeStart` may change the data before anyone can hear of it. It has an operator for pages
 * to sign in as, unless `operator: false` (then its set-up link, `app.setupPath`, works).
 */
export interface StartOptions {
  dataDir?: string;
  port?: number;
  beforeStart?: (db: Database) => Promise<void>;
  operator?: boolean;
}

export async function startInbox(overrides: Partial<AppDeps> = {}, options: StartOptions = {}): Promise<Inbox> {
  await buildWeb();
  const db = await createEmbeddedDatabase(options.dataDir);
  await options.beforeStart?.(db);
  const app = await startTestApp(db, { webDir: WEB_DIST, ...overrides, sms: { simulatorToken: WEBHOOK_TOKEN, ...overrides.sms } }, options.port);
  const signIn = options.operator === false ? undefined : await ensureOperator(db);
  if (signIn) signIns.set(new URL(app.url).origin, signIn);
  else signIns.delete(new URL(app.url).origin);
  return { ...app, db, signIn };
}
