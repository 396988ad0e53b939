import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from './support/chromium.ts';
import { OUR_NUMBER, receiveSms } from './support/inbound-sms.ts';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { useInbox } from './support/setup.ts';
import { ensureSignedIn, openInbox, waitLive } from './support/pages.ts';

/** Tells the page it is hidden or shown again, as switching tabs would. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((state) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden ? 'hidden' : 'visible');
}

/**
 * The browser's Notification, recorded instead of shown: a headless browser has no desktop to show
 * it on. Permission starts undecided, as in a browser that was never asked.
 */
function fakeNotifications() {
  const shown: { title: string; body?: string }[] = [];
  let permission = 'default';
  let asked = 0;
  class FakeNotification {
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body });
    }
    static get permission() {
      return permission;
    }
    static async requestPermission() {
      asked++;
      permission = 'granted';
      return permission;
    }
    close() {}
  }
  Object.assign(window, { Notification: FakeNotification, notes: { shown, asked: () => asked } });
}

const notes = (page: Page) =>
  page.evaluate(() => {
    const n = (window as unknown as { notes: { shown: unknown[]; asked: () => number } }).notes;
    return { shown: n.shown, asked: n.asked() };
  });

describe.skipIf(!chromiumAvailable())('a tab in the background', () => {
  const env = useInbox();

  it('shows the unread count in its title and icon', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    expect(await page.title()).toBe('Hatch');
    await receiveSms(env.inbox, '+15550505050', 'Are you open?');
    await receiveSms(env.inbox, '+15550505050', 'Hello?');
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe('(2) Hatch');
    expect(await page.locator('link[rel="icon"]').getAttribute('data-unread')).toBe('2');
    await page.locator('.conversation a').first().click();
    await expect.poll(() => page.title(), { timeout: 10_000 }).toMatch(/^\+1 555-050-5050 · Hatch$/);
    expect(await page.locator('link[rel="icon"]').getAttribute('data-unread')).toBe('0');
  });

  it('asks for desktop notifications only on a click, then notifies of new messages while hidden', async () => {
    await ensureSignedIn(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    await page.addInitScript(fakeNotifications);
    await page.goto(new URL('/settings', env.inbox.url).toString());
    await waitLive(page);
    await page.getByTestId('notification-state').getByText('Off.', { exact: false }).waitFor();
    expect((await notes(page)).asked).toBe(0);

    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.getByTestId('notification-state').getByText('On:', { exact: false }).waitFor();
    expect((await notes(page)).asked).toBe(1);

    // On screen, the page itself shows what arrives; hidden, a notification does.
    await receiveSms(env.inbox, '+15550505051', 'Seen on screen');
    await page.waitForTimeout(500);
    expect((await notes(page)).shown).toEqual([]);
    await setHidden(page, true);
    await receiveSms(env.inbox, '+15550505051', 'Is breakfast included?');
    await expect.poll(async () => (await notes(page)).shown, { timeout: 10_000 }).toEqual([{ title: '+1 555-050-5051', body: 'Is breakfast included?' }]);
  });

  it('notifies of a note that mentions the operator while hidden, and counts it in the title', async () => {
    await ensureSignedIn(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    await page.addInitScript(fakeNotifications);
    await page.goto(new URL('/settings', env.inbox.url).toString());
    await waitLive(page);
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.getByTestId('notification-state').getByText('On:', { exact: false }).waitFor();
    await receiveSms(env.inbox, '+15550505053', 'Where is my parcel?');
    await expect.poll(async () => (await notes(page)).shown.length, { timeout: 10_000 }).toBe(0);
    const count = async () => Number(/^\((\d+)\) /.exec(await page.title())?.[1] ?? 0);
    const before = await count();
    await setHidden(page, true);
    const id = conversationId(OUR_NUMBER, '+15550505053');
    const added = await env.inbox.gql('mutation($id: ID!) { addNote(input: { conversationId: $id, body: "@Ana can you look at this one?" }) { errors { code } } }', { id });
    expect(added.body.data.addNote.errors).toEqual([]);
    await expect
      .poll(async () => ((await notes(page)).shown as { title: string }[]).filter((n) => n.title.endsWith('mentioned you')), { timeout: 10_000 })
      .toEqual([{ title: expect.stringMatching(/^tests .* mentioned you$/), body: '@Ana can you look at this one?' }]);
    // The mention counts in the title beside unread messages.
    await expect.poll(count, { timeout: 10_000 }).toBe(before + 1);
  });

  it('keeps listening when hidden for long, alone; gives the stream back when another tab is on screen', async () => {
    // A browser of its own: its clock is faked, to skip the minute a hidden tab waits.
    const browser = await launchBrowser();
    try {
      await browser.context.clock.install();
      const page = await openInbox(browser.context, env.inbox.url);
      await setHidden(page, true);
      await page.clock.fastForward('05:00');
      await receiveSms(env.inbox, '+15550505052', 'Still there after five minutes?');
      await expect.poll(() => page.title(), { timeout: 10_000 }).toMatch(/^\(\d+\) Hatch$/);
      expect(await page.getByRole('status').textContent()).toBe('Live');

      // With the inbox on screen in another tab, this one need not hold a connection.
      const other = await openInbox(browser.context, env.inbox.url);
      await page.clock.fastForward('01:01');
      await page.getByRole('status').getByText('Paused', { exact: true }).waitFor({ timeout: 10_000 });
      // That tab goes to the background too: this one listens again.
      await setHidden(other, true);
      await waitLive(page);
    } finally {
      await browser.close();
    }
  });
});
