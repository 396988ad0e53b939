import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { openInbox } from './support/pages.ts';

describe.skipIf(!chromiumAvailable())('searching the list', () => {
  const env = useInbox();

  it('finds a number however it is typed, words of messages, and never our own side (360 px)', async () => {
    const send = (input: Record<string, string>) => env.inbox.gql(`mutation ($input: SendMessageInput!) { sendMessage(input: $input) { errors { code } } }`, { input });
    await receiveSms(env.inbox, '+15559876543', 'Is the pool heated?');
    await receiveSms(env.inbox, '+15551110000', 'Could we have extra towels please');
    await send({ to: 'Housekeeping', body: 'Room 12 needs fresh towels' });
    await send({ to: 'Front desk', body: 'Late checkout for room 4' });

    const page = await openInbox(env.browser.context, env.inbox.url, '/', { width: 360, height: 740 });
    const box = page.getByLabel('Search conversations');
    const names = () => page.locator('.conversation-name').allTextContents();
    await expect.poll(names).toHaveLength(4);

    for (const typed of ['(555) 987-6543', '+1 555 987 6543', '987-6543', '5559876543']) {
      await box.fill('');
      await box.pressSequentially(typed);
      await expect.poll(names, { message: typed }).toEqual(['+1 555-987-6543']);
    }
    // Words of any message, as prefixes, in any case.
    await box.fill('TOWEL');
    await expect.poll(names).toEqual(['Housekeeping', '+1 555-111-0000']);
    await box.fill('pool heat');
    await expect.poll(names).toEqual(['+1 555-987-6543']);
    // Our own name and number are on every conversation: no hit for either.
    for (const ours of ['Operator', '+1 500 555 0006']) {
      await box.fill(ours);
      await page.getByText(`No conversations match “${ours}”.`).waitFor();
      expect(await names()).toEqual([]);
    }
    await box.fill('');
    await expect.poll(names).toHaveLength(4);
  });
});
