import { afterAll, afterEach, beforeAll } from 'vitest';
import type { AppDeps } from '../../../server/app.ts';
import { launchBrowser, type Browser } from './chromium.ts';
import { startInbox, type Inbox, type StartOptions } from './inbox-server.ts';

/**
 * A test file's server and browser: started before its tests, pages closed after each test (an
 * open inbox holds one of Chromium's six connections per host), all stopped at the end.
 */
export function useInbox(overrides: Partial<AppDeps> = {}, options: StartOptions = {}): { readonly inbox: Inbox; readonly browser: Browser } {
  const env = {} as { inbox: Inbox; browser: Browser };
  beforeAll(async () => {
    env.inbox = await startInbox(overrides, options);
    env.browser = await launchBrowser();
  });
  afterEach(async () => {
    await env.browser?.closePages();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.inbox?.close();
  });
  return env;
}
