import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
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
      await page.getByText(`No open conversations match “${ours}”.`).waitFor();
      expect(await names()).toEqual([]);
    }
    await box.fill('');
    await expect.poll(names).toHaveLength(4);
  });

  it('says where a search matches when the filter shown has nothing, and goes there', async () => {
    await receiveSms(env.inbox, '+15554440001', 'Dana here, all sorted, thanks');
    const named = await env.inbox.gql('mutation { updateContact(input: { address: "+15554440001", name: "Dana Katz" }) { errors { code } } }');
    expect(named.body.data.updateContact.errors).toEqual([]);
    const list = await env.inbox.gql('{ conversations(first: 50, search: "Dana") { edges { node { id } } } }');
    const id = list.body.data.conversations.edges[0].node.id;
    await env.inbox.gql(`mutation { markConversationDone(id: "${id}") { errors { code } } }`);

    const page = await openInbox(env.browser.context, env.inbox.url);
    await page.getByLabel('Search conversations').fill('Dana');
    await page.getByText('No open conversations match “Dana”.').waitFor();
    const elsewhere = page.getByRole('button', { name: '1 match in Done' });
    await elsewhere.waitFor();
    const violations = await axeViolations(page);
    expect(violations, describeViolations('a search that matches only in Done', violations)).toEqual([]);
    await elsewhere.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.conversation-name').allTextContents()).toEqual(['Dana Katz']);
    expect(await page.getByRole('button', { name: 'Done', exact: true }).getAttribute('aria-pressed')).toBe('true');
  });
});
