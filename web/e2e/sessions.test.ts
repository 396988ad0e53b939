import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable, launchBrowser } from './support/chromium.ts';
import { OPERATOR } from './support/inbox-server.ts';
import { useInbox } from './support/setup.ts';
import { openInbox } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

describe.skipIf(!chromiumAvailable())('where one is signed in', () => {
  const env = useInbox();

  it('lists this browser and a lost laptop; ending the laptop’s session from the keyboard signs it out at once', async () => {
    const laptop = await launchBrowser();
    try {
      expect((await laptop.context.request.post(new URL('/auth/sign-in', env.inbox.url).toString(), { data: { email: OPERATOR.email, password: OPERATOR.password } })).ok()).toBe(true);
      const lost = await openInbox(laptop.context, env.inbox.url);

      const page = await openInbox(env.browser.context, env.inbox.url, '/settings');
      const list = page.getByRole('list', { name: 'Where you are signed in' });
      const rows = list.getByTestId('session');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
      expect(await list.getByText('This browser').count()).toBe(1);
      const end = rows.filter({ hasNotText: 'This browser' }).first().getByRole('button', { name: /^End session on / });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}sessions.png`, fullPage: true });
      for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
        await page.setViewportSize(viewport);
        const violations = await axeViolations(page);
        expect(violations, describeViolations(`the sessions list at ${viewport.width} px`, violations)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      }
      await page.getByRole('button', { name: 'End every other session' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await end.count()).toBe(0);
      // The laptop's window is signed out at once (its stream closed), and stays so.
      await lost.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
      expect((await laptop.context.request.get(`${env.inbox.url}/auth/session`)).status()).toBe(401);
      expect((await env.browser.context.request.get(`${env.inbox.url}/auth/session`)).status()).toBe(200);
    } finally {
      await laptop.close();
    }
  });
});
