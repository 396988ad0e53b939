import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { ensureSignedIn, row, waitLive } from './support/pages.ts';
import { useInbox } from './support/setup.ts';

const PHONE = { width: 360, height: 740 };

describe.skipIf(!chromiumAvailable())('history on a phone', () => {
  const env = useInbox();

  it("goes back with the in-app Back, and then the phone's Back leaves the inbox instead of looping into the thread", async () => {
    await receiveSms(env.inbox, '+15550909090', 'Hello from the lobby');
    await ensureSignedIn(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    await page.setViewportSize(PHONE);
    // Where the person was before opening the inbox.
    const before = new URL('/health', env.inbox.url).toString();
    await page.goto(before);
    await page.goto(env.inbox.url);
    await waitLive(page);

    await row(page, '+15550909090').getByRole('link').click();
    await page.waitForURL(/\/c\//);
    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await row(page, '+15550909090').waitFor();

    await page.goBack();
    expect(page.url()).toBe(before);
    // And forward again is the list, as it was left.
    await page.goForward();
    await page.waitForURL((url) => url.pathname === '/');
  });

  it('opens a thread from a link and goes back to the list without leaving the inbox', async () => {
    await ensureSignedIn(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(env.inbox.url);
    await waitLive(page);
    const href = await row(page, '+15550909090').getByRole('link').getAttribute('href');
    // A thread opened straight from a bookmark: Back in the app replaces it with the list.
    await page.goto(new URL(href!, env.inbox.url).toString());
    await waitLive(page);
    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.goBack();
    // The entry before the bookmark was the list itself: no thread in between.
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
