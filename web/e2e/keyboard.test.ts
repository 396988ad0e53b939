import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations, isSerious } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox } from './support/pages.ts';

/** The list row (by its stored address) or other element that has the keyboard focus. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.closest('.conversation')?.getAttribute('data-contact') ?? el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? null;
  });

describe.skipIf(!chromiumAvailable())('the inbox from the keyboard alone', () => {
  const env = useInbox();

  it('has one Tab stop for the list, moves through it with the arrow keys, and opens with Enter', async () => {
    for (const n of [1, 2, 3, 4]) await receiveSms(env.inbox, `+1555080800${n}`, `Guest ${n} wrote`);
    const page = await openInbox(env.browser.context, env.inbox.url);
    await expect.poll(() => page.locator('.conversation').count()).toBe(4);
    await page.getByLabel('Search conversations').focus();
    // Search, the four filters, the three of whose, then the list: one stop, the newest row.
    for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('+15550808004');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('+15550808002');
    await page.keyboard.press('End');
    expect(await focused(page)).toBe('+15550808001');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/c\//);
    await bubble(page, 'Guest 2 wrote').waitFor();

    // Shift+Tab from the message box goes back through the thread, never to the last row of the list.
    await page.getByLabel('Message', { exact: true }).focus();
    const seen: (string | null)[] = [];
    for (let i = 0; i < 12 && !seen.includes('+15550808002'); i++) {
      await page.keyboard.press('Shift+Tab');
      seen.push(await focused(page));
    }
    expect(seen).not.toContain('+15550808001');
    expect(seen).toContain('+15550808002');
  });

  it('lists the shortcuts on ?, and they work: / searches, n starts a message, e marks done, Esc goes back', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Mark the open conversation done');
    const violations = (await axeViolations(page)).filter(isSerious);
    expect(violations, describeViolations('shortcuts dialog', violations)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search conversations');
    // Typed into a field, the same keys are just text.
    await page.keyboard.type('n?');
    expect(await page.getByLabel('Search conversations').inputValue()).toBe('n?');
    await page.getByLabel('Search conversations').fill('');

    await page.locator('.conversation a').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/c\//);
    await page.locator('.message-scroll').focus();
    await page.keyboard.press('e');
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    await page.keyboard.press('e');
    await page.getByRole('button', { name: 'Mark done' }).waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.pathname === '/');
    await page.keyboard.press('n');
    await page.waitForURL((url) => url.pathname === '/new');
  });

  it('leaves the message box with Esc, keeping the draft; then e and Esc work on the thread', async () => {
    await receiveSms(env.inbox, '+15550808099', 'Esc from the composer');
    const page = await openInbox(env.browser.context, env.inbox.url);
    await page.locator('.conversation', { hasText: 'Esc from the composer' }).getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/c\//);
    const box = page.getByLabel('Message', { exact: true });
    await box.focus();
    await page.keyboard.type('half a reply');
    await page.keyboard.press('Escape');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(false);
    expect(await box.inputValue()).toBe('half a reply');
    // The thread's shortcuts work from here: e marks it done (typing nothing), Esc goes back.
    await page.keyboard.press('e');
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(await box.inputValue()).toBe('half a reply');
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.pathname === '/');
  });
});
