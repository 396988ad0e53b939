import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { useColleague } from './support/colleague.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { openInbox, row } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const BOB = { email: 'bob.presence@example.com', password: 'bob has a long password', name: 'Bob' };

describe.skipIf(!chromiumAvailable())('who else is in a thread', () => {
  const env = useInbox();
  const bob = useColleague(env, BOB);

  it('Ana sees Bob viewing, typing, and gone when he leaves the thread or closes the tab; Bob never sees himself', async () => {
    await receiveSms(env.inbox, '+15550949001', 'Can someone help?');
    const ana = await openInbox(env.browser.context, env.inbox.url);
    await row(ana, '+15550949001').getByRole('link').focus();
    await ana.keyboard.press('Enter');
    await ana.waitForURL(/\/c\//);
    const line = ana.locator('.presence-line');
    expect(await line.textContent()).toBe('');

    // Bob, at phone width, from the keyboard.
    const bobPage = await openInbox(bob.browser.context, env.inbox.url, '/', { width: 360, height: 740 });
    await row(bobPage, '+15550949001').getByRole('link').focus();
    await bobPage.keyboard.press('Enter');
    await bobPage.waitForURL(/\/c\//);
    await expect.poll(() => line.textContent()).toBe('Bob is viewing');
    // Ana is there too, and Bob's window names her, never him.
    await expect.poll(() => bobPage.locator('.presence-line').textContent()).toBe('Ana is viewing');

    await bobPage.getByLabel('Message', { exact: true }).focus();
    await bobPage.keyboard.type('On it, I will call');
    await expect.poll(() => line.textContent(), { timeout: 10_000 }).toBe('Bob is typing…');
    mkdirSync(ARTIFACTS, { recursive: true });
    await ana.screenshot({ path: `${ARTIFACTS}presence-typing.png` });
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await ana.setViewportSize(viewport);
      const violations = await axeViolations(ana);
      expect(violations, describeViolations(`a thread with a colleague typing at ${viewport.width} px`, violations)).toEqual([]);
      expect(await ana.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    }
    await ana.screenshot({ path: `${ARTIFACTS}presence-typing-phone.png` });
    // Typing stops: back to viewing within the 6 s typing lasts.
    await expect.poll(() => line.textContent(), { timeout: 10_000 }).toBe('Bob is viewing');

    // Esc leaves the box, Esc again the thread: Bob has left, at once.
    await bobPage.keyboard.press('Escape');
    await bobPage.keyboard.press('Escape');
    await bobPage.waitForURL((url) => !/\/c\//.test(url.pathname));
    await expect.poll(() => line.textContent(), { timeout: 10_000 }).toBe('');

    // Back in the thread, then the tab closes without a word: gone within 30 s.
    await row(bobPage, '+15550949001').getByRole('link').click();
    await expect.poll(() => line.textContent()).toBe('Bob is viewing');
    const closed = Date.now();
    await bobPage.close();
    await expect.poll(() => line.textContent(), { timeout: 31_000, interval: 500 }).toBe('');
    expect(Date.now() - closed).toBeLessThan(30_000);
  }, 90_000);
});
