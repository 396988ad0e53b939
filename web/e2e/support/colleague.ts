import { afterAll, beforeAll, expect } from 'vitest';
import { createOperator } from '../../../server/modules/access/operators.service.ts';
import { launchBrowser, type Browser } from './chromium.ts';
import type { Inbox } from './inbox-server.ts';

/**
 * A second operator with a browser of their own, signed in to the test file's inbox before its
 * tests: the team-inbox tests' colleague. Their browser is closed after the file.
 */
export function useColleague(env: { readonly inbox: Inbox }, who: { email: string; password: string; name: string }): { readonly browser: Browser } {
  const colleague = {} as { browser: Browser };
  beforeAll(async () => {
    const made = await createOperator(env.inbox.db, who);
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    colleague.browser = await launchBrowser();
    const res = await colleague.browser.context.request.post(new URL('/auth/sign-in', env.inbox.url).toString(), { data: { email: who.email, password: who.password } });
    expect(res.ok()).toBe(true);
  });
  afterAll(() => colleague.browser?.close());
  return colleague;
}
