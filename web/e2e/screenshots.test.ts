import { mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, type Browser } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { startInbox, type Inbox } from './support/inbox-server.ts';
import { startMediaServer } from './support/media-server.ts';
import { OPERATOR } from './support/inbox-server.ts';
import { bubble, openInbox, row, send, signOut } from './support/pages.ts';

// Written for people to look at after a run (and gitignored). Each shot is taken once the page
// shows what it should, and the test checks that, not the pixels.
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

async function seed(inbox: Inbox, mediaUrl: string) {
  // Sent by a program with a token of its own, so the bubbles say who wrote them.
  const program = { authorization: `Bearer ${await inbox.token('Booking system', 'send')}` };
  await inbox.token('Lobby display', 'read');
  const sendAs = async (to: string, body: string): Promise<string> => {
    const res = await inbox.gql(`mutation ($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }`, { input: { to, body } }, program);
    return res.body.data.sendMessage.message.id as string;
  };
  await sendAs('Front desk', 'Guest in 12 asked for extra towels.');
  await sendAs('+15557770199', 'Your table for 4 is booked at 19:30.');
  await receiveSms(inbox, '+15557770101', 'Hi! Is early check-in possible tomorrow?');
  await sendAs('+15557770101', 'Hi Dana, yes: your room will be ready from 11:00.');
  await receiveSms(inbox, '+15557770101', 'Perfect, thank you 🙏 This is the view we are hoping for again:', {
    media: [{ url: `${mediaUrl}/picture.svg`, contentType: 'image/svg+xml' }],
  });
  const failed = await sendAs('+15557770101', 'You are welcome. The door code will come by text in the morning.');
  await receiveSms(inbox, '+15557770142', 'Can I bring my dog?');
  await receiveSms(inbox, '+15557770142', 'She is small and very calm.');
  // Let the simulator finish, then fail one SMS the way a carrier's status report would.
  await new Promise((r) => setTimeout(r, 500));
  await inbox.db.prisma.message.update({
    where: { id: failed },
    data: { status: 'FAILED', errorCode: '30003', errorMessage: 'Unreachable destination handset' },
  });
}

async function shoot(page: Page, name: string) {
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path });
  expect(statSync(path).size).toBeGreaterThan(10_000);
  // Nothing sticks out sideways, at either width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
}

describe.skipIf(!chromiumAvailable())('screenshots', () => {
  let inbox: Inbox;
  let browser: Browser;
  let media: Awaited<ReturnType<typeof startMediaServer>>;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    inbox = await startInbox();
    browser = await launchBrowser();
    media = await startMediaServer();
    await seed(inbox, media.url);
  });

  afterEach(async () => {
    await browser?.closePages();
  });

  afterAll(async () => {
    await browser?.close();
    await inbox?.close();
    await media?.close();
  });

  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`captures the list, a thread and the composer (${size})`, async () => {
      const page = await openInbox(browser.context, inbox.url, '/', viewport);
      await row(page, '+15557770142').waitFor();
      expect(await page.locator('.conversation').count()).toBe(4);
      // Two unanswered texts from +15557770142; the failed SMS shows in its conversation's preview.
      expect(await row(page, '+15557770142').getByTestId('unread-badge').textContent()).toBe('2');
      expect(await row(page, '+15557770101').textContent()).toContain('Not delivered');
      await shoot(page, `${size}-list`);

      await row(page, '+15557770101').click();
      await bubble(page, 'You are welcome. The door code will come by text in the morning.').getByText('Not delivered: Unreachable destination handset').waitFor();
      const picture = page.getByRole('img', { name: 'Attachment 1' });
      await picture.evaluate((img: HTMLImageElement) => img.decode());
      expect(await picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(480);
      expect(await bubble(page, 'Hi Dana, yes: your room will be ready from 11:00.').getByText('delivered').isVisible()).toBe(true);
      await page.getByLabel('Message', { exact: true }).fill('See you tomorrow! 🏨');
      await page.getByTestId('segment-counter').getByText('Unicode').waitFor();
      await shoot(page, `${size}-thread`);

      await page.getByRole('button', { name: 'New message' }).click();
      await page.getByLabel('To', { exact: true }).fill('555-1234');
      await send(page, 'Your order is ready for pickup.');
      await page.getByText('is not a phone number Hatch can text', { exact: false }).waitFor();
      await page.getByTestId('segment-counter').getByText('1 SMS', { exact: false }).waitFor();
      expect(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await shoot(page, `${size}-composer`);
      await page.close();
    });

    it(`captures settings, sign-in and set-up (${size})`, async () => {
      const page = await openInbox(browser.context, inbox.url, '/settings', viewport);
      await page.getByTestId('signed-in-name').getByText(OPERATOR.name).waitFor();
      await page.getByLabel('Token name').fill(`Kitchen display (${size})`);
      await page.getByLabel('Read and send', { exact: false }).check();
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByTestId('new-token').getByText('you will not see it again', { exact: false }).waitFor();
      await shoot(page, `${size}-settings-new-token`);

      await page.getByRole('button', { name: 'I have copied it' }).click();
      const lobby = page.locator('.token').filter({ hasText: 'Lobby display' });
      if ((await lobby.getByTestId('token-state').textContent()) === 'Working') {
        await lobby.getByRole('button', { name: /^Revoke/ }).click();
        await lobby.getByRole('button', { name: 'Revoke token' }).click();
      }
      await lobby.getByTestId('token-state').getByText('Revoked').waitFor();
      await page.locator('.tokens').scrollIntoViewIfNeeded();
      await shoot(page, `${size}-settings`);

      await signOut(browser.context, inbox.url);
      await page.goto(new URL('/sign-in', inbox.url).toString());
      await page.getByLabel('Email', { exact: true }).fill(OPERATOR.email);
      await page.getByLabel('Password', { exact: true }).fill('not my password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('do not match', { exact: false }).waitFor();
      await shoot(page, `${size}-sign-in`);

      await page.goto(new URL('/setup#a-link-from-the-server-log', inbox.url).toString());
      await page.getByRole('heading', { name: 'Set up Hatch' }).waitFor();
      await shoot(page, `${size}-setup`);
      await page.close();
    });
  }
});
