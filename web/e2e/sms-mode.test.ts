import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { startMediaServer } from './support/media-server.ts';
import { useInbox } from './support/setup.ts';
import { openInbox, row } from './support/pages.ts';

describe.skipIf(!chromiumAvailable())('what the list and the page say about SMS', () => {
  const env = useInbox();
  let media: Awaited<ReturnType<typeof startMediaServer>>;
  beforeAll(async () => {
    media = await startMediaServer();
  });
  afterAll(() => media?.close());

  it('previews an MMS without text as a photo, and shows who opted out on the row', async () => {
    await receiveSms(env.inbox, '+15550606060', '', { media: [{ url: `${media.url}/picture.svg`, contentType: 'image/jpeg' }] });
    await receiveSms(env.inbox, '+15550606061', '', {
      media: [
        { url: `${media.url}/picture.svg`, contentType: 'image/jpeg' },
        { url: `${media.url}/picture.svg`, contentType: 'image/png' },
      ],
    });
    await receiveSms(env.inbox, '+15550606062', 'STOP');
    const page = await openInbox(env.browser.context, env.inbox.url);
    await row(page, '+15550606060').locator('.conversation-preview').getByText('📷 Photo').waitFor();
    expect(await row(page, '+15550606061').locator('.conversation-preview').textContent()).toBe('📷 2 photos');
    await row(page, '+15550606062').getByText('Opted out', { exact: true }).waitFor();
    expect(await row(page, '+15550606060').getByText('Opted out').count()).toBe(0);
  });

  it('says SMS are simulated, and from which number, without Twilio', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await page.locator('.topbar').getByText('Simulated SMS').waitFor();
    await page.getByRole('button', { name: 'New message' }).click();
    await page.getByTestId('sms-mode').getByText('SMS are sent from +1 500-555-0006 · simulated', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('region', { name: 'SMS' }).getByText('simulated: Twilio is not set up', { exact: false }).waitFor();

    // On a phone the top bar has no room: the New message screen says it.
    const phone = await openInbox(env.browser.context, env.inbox.url, '/new', { width: 360, height: 740 });
    await phone.getByTestId('sms-mode').getByText('simulated', { exact: false }).waitFor();
    expect(await phone.locator('.topbar').getByText('Simulated SMS').isVisible()).toBe(false);
  });
});
