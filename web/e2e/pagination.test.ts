import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, type Browser } from './support/chromium.ts';
import { startInbox, type Inbox } from './support/inbox-server.ts';
import { bubble, openInbox, row } from './support/pages.ts';

const pad = (n: number) => String(n).padStart(2, '0');

async function scrollToEnd(page: Page, selector: string, where: 'top' | 'bottom') {
  await page.locator(selector).evaluate((el, to) => el.scrollTo({ top: to === 'top' ? 0 : el.scrollHeight }), where);
}

describe.skipIf(!chromiumAvailable())('paging', () => {
  let inbox: Inbox;
  let browser: Browser;

  beforeAll(async () => {
    inbox = await startInbox();
    browser = await launchBrowser();
    const sendAs = (to: string, body: string) =>
      inbox.gql(`mutation ($input: SendMessageInput!) { sendMessage(input: $input) { errors { code } } }`, { input: { to, body } });
    for (let i = 1; i <= 45; i++) await sendAs(`Guest ${pad(i)}`, `Hello guest ${i}`);
    for (let i = 1; i <= 70; i++) await sendAs('Guest 45', `Note ${pad(i)}`);
  });

  afterEach(async () => {
    await browser?.closePages();
  });

  afterAll(async () => {
    await browser?.close();
    await inbox?.close();
  });

  it('loads more conversations while scrolling the list, and searches on the server', async () => {
    const page = await openInbox(browser.context, inbox.url, '/', { width: 1280, height: 700 });
    await row(page, 'Guest 45').waitFor();
    expect(await page.locator('.conversation').count()).toBe(20);

    await scrollToEnd(page, '.list-scroll', 'bottom');
    await expect.poll(() => page.locator('.conversation').count()).toBe(40);
    await scrollToEnd(page, '.list-scroll', 'bottom');
    await expect.poll(() => page.locator('.conversation').count()).toBe(45);
    const names = await page.locator('.conversation-name').allTextContents();
    expect(names).toEqual(Array.from({ length: 45 }, (_, i) => `Guest ${pad(45 - i)}`));

    await page.getByLabel('Search conversations').fill('guest 0');
    await expect.poll(() => page.locator('.conversation-name').allTextContents()).toEqual(
      Array.from({ length: 9 }, (_, i) => `Guest 0${9 - i}`),
    );
  });

  it('loads older messages when scrolling up, without moving what is on screen', async () => {
    const page = await openInbox(browser.context, inbox.url);
    await row(page, 'Guest 45').getByRole('link').click();
    await bubble(page, 'Note 70').waitFor();
    expect(await page.locator('.message').count()).toBe(30);

    const topOf = (body: string) => bubble(page, body).evaluate((el) => el.getBoundingClientRect().top);
    // Scroll to the top and note where the oldest loaded message is, before the older page lands.
    const before = await page.locator('.message-scroll').evaluate((el) => {
      el.scrollTop = 0;
      return [...el.querySelectorAll('.message')][0]!.getBoundingClientRect().top;
    });
    await expect.poll(() => page.locator('.message').count()).toBe(60);
    expect(Math.abs((await topOf('Note 41')) - before)).toBeLessThanOrEqual(1);

    await scrollToEnd(page, '.message-scroll', 'top');
    await expect.poll(() => page.locator('.message').count()).toBe(71);
    await page.getByText('Start of the conversation').waitFor();
    expect(await page.getByTestId('message-body').first().textContent()).toBe('Hello guest 45');
  });
});
