import { describe, expect, it } from 'vitest';
import { testConfig } from '../../server/testing/config.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { useInbox } from './support/setup.ts';
import { bubble, startConversation, waitLive } from './support/pages.ts';

// HATCH_AUTH=off, for a machine nobody else can reach: the inbox opens straight away.
describe.skipIf(!chromiumAvailable())('with sign-in turned off', () => {
  const env = useInbox({ config: testConfig({ HATCH_AUTH: 'false' }) });

  it('opens the inbox without signing in, and offers no sign-out', async () => {
    await env.browser.context.clearCookies();
    const page = await env.browser.context.newPage();
    await page.goto(env.inbox.url);
    await waitLive(page);
    await startConversation(page, 'Front desk', 'No sign-in here');
    await bubble(page, 'No sign-in here').getByText('saved').waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('Sign-in is turned off on this server', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
  });
});
