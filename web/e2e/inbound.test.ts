import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { useInbox } from './support/setup.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { startMediaServer } from './support/media-server.ts';
import { bubble, gqlAs, openInbox, row } from './support/pages.ts';

describe.skipIf(!chromiumAvailable())('an inbound SMS', () => {
  const env = useInbox();

  it('appears live with an unread badge, and reading it in one window clears the badge in the other', async () => {
    await receiveSms(env.inbox, '+15550002222', 'An older conversation');
    const a = await openInbox(env.browser.context, env.inbox.url);
    const b = await openInbox(env.browser.context, env.inbox.url);
    await row(b, '+15550002222').waitFor();

    await receiveSms(env.inbox, '+15557654321', 'Is the room ready?');
    await receiveSms(env.inbox, '+15557654321', 'We are at the front door.');
    for (const page of [a, b]) {
      const newRow = row(page, '+15557654321');
      await newRow.getByTestId('unread-badge').getByText('2', { exact: true }).waitFor({ timeout: 10_000 });
      expect(await newRow.locator('.conversation-preview').textContent()).toBe('We are at the front door.');
      // The newest activity moved it to the top, above the conversation that was there first.
      expect(await page.locator('.conversation').first().getAttribute('data-contact')).toBe('+15557654321');
    }

    await row(a, '+15557654321').getByRole('link').click();
    await bubble(a, 'We are at the front door.').waitFor();
    await expect.poll(() => row(a, '+15557654321').getByTestId('unread-badge').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => row(b, '+15557654321').getByTestId('unread-badge').count(), { timeout: 10_000 }).toBe(0);
    // The other conversation was never opened: its badge stays.
    expect(await row(b, '+15550002222').getByTestId('unread-badge').textContent()).toBe('1');
  });

  it('arrives in an open thread, which stays read', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await row(page, '+15550002222').getByRole('link').click();
    await bubble(page, 'An older conversation').waitFor();
    await receiveSms(env.inbox, '+15550002222', 'Are you still there?');
    await bubble(page, 'Are you still there?').waitFor({ timeout: 10_000 });
    await expect.poll(() => row(page, '+15550002222').getByTestId('unread-badge').count(), { timeout: 10_000 }).toBe(0);
    const read = await gqlAs(env.browser.context, env.inbox.url, `{ conversations(search: "+15550002222") { edges { node { unreadCount } } } }`);
    expect(read.data.conversations.edges[0].node.unreadCount).toBe(0);
  });

  it('shows the pictures of an MMS', async () => {
    const media = await startMediaServer();
    try {
      const page = await openInbox(env.browser.context, env.inbox.url);
      await receiveSms(env.inbox, '+15550009999', 'The view from our room', { media: [{ url: `${media.url}/picture.svg`, contentType: 'image/svg+xml' }] });
      await row(page, '+15550009999').getByRole('link').click();
      const picture = bubble(page, 'The view from our room').getByRole('img', { name: 'Attachment 1' });
      await picture.waitFor();
      await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
    } finally {
      await media.close();
    }
  });

  it('warns in the thread when the number has replied STOP', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await receiveSms(env.inbox, '+15550001010', 'STOP');
    await row(page, '+15550001010').getByRole('link').click();
    await page.getByRole('note').getByText('+1 555-000-1010 replied STOP', { exact: false }).waitFor();
  });
});
