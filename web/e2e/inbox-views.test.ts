import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { axeViolations, describeViolations, isSerious, watchCsp } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { OUR_NUMBER, receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, gqlAs, openInbox, row } from './support/pages.ts';

// Written for people to look at after a run (and gitignored), beside screenshots.test.ts's.
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;

/** The new views of the inbox, each checked with axe-core (WCAG 2.1 A and AA) at both widths, light and dark. */
describe.skipIf(!chromiumAvailable())('the views for a day of work', () => {
  const env = useInbox();
  const found: string[] = [];

  const check = async (page: Page, view: string) => {
    const serious = (await axeViolations(page)).filter(isSerious);
    if (serious.length) found.push(describeViolations(view, serious));
    await page.screenshot({ path: `${ARTIFACTS}${view.replace(/[^a-z0-9]+/gi, '-')}.png` });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const gql = (query: string, variables: Record<string, unknown>) => env.inbox.gql(query, variables);
    const send = (input: Record<string, string>) => gql(`mutation ($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }`, { input });
    await receiveSms(env.inbox, '+15557770101', 'Hi! Is early check-in possible tomorrow?');
    await send({ to: '+15557770101', body: 'Yes: your room will be ready from 11:00.' });
    // Read by the operator the pages sign in as (read state is each operator's own).
    await gqlAs(env.browser.context, env.inbox.url, `mutation { markConversationRead(id: "${conversationId('+15557770101', OUR_NUMBER)}") { errors { code } } }`);
    await receiveSms(env.inbox, '+15557770101', 'Perfect. Can we also get a late checkout on Sunday?');
    await receiveSms(env.inbox, '+15557770101', 'مرحبا، شكرا جزيلا for everything!');
    const failed = (await send({ to: '+15557770101', body: 'The door code comes by text in the morning.' })).body.data.sendMessage.message.id;
    await gql(`mutation { updateContact(input: { address: "(555) 777-0101", name: "Dana Scully", notes: "Room 12 · arrives Friday · allergic to feathers" }) { errors { code } } }`, {});
    await send({ to: '+15005550004', body: 'Your table is ready' });
    await send({ to: 'Housekeeping', body: 'Room 12 needs fresh towels' });
    await gql(`mutation { markConversationDone(id: "${conversationId('Housekeeping', 'Operator')}") { errors { code } } }`, {});
    await new Promise((r) => setTimeout(r, 500));
    await env.inbox.db.query(`UPDATE messages SET status = 'FAILED', error_code = '30003', error_message = 'Unreachable destination handset' WHERE id = $1`, [failed]);
  });

  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`passes on the list, a thread, the contact editor and a new message (${size})`, async () => {
      found.length = 0;
      // Read by the run at the other width: unread again, so the badge and the line show.
      const dana = conversationId('+15557770101', OUR_NUMBER);
      await gqlAs(env.browser.context, env.inbox.url, `mutation($id: ID!) { markConversationUnread(id: $id) { errors { code } } }`, { id: dana });
      const page = await openInbox(env.browser.context, env.inbox.url, '/', viewport);
      const csp = watchCsp(page);
      await row(page, 'Dana Scully').getByTestId('unread-badge').waitFor();
      await row(page, '+15005550004').getByText('Opted out').waitFor();
      await check(page, `${size} day list`);
      await page.locator('.conversation a').first().focus();
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await check(page, `${size} day shortcuts`);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByRole('group', { name: 'Show conversations' }).getByRole('button', { name: 'Done' }).click();
      await row(page, 'Housekeeping').waitFor();
      await check(page, `${size} day list done`);
      await page.getByRole('group', { name: 'Show conversations' }).getByRole('button', { name: 'Open' }).click();

      await row(page, 'Dana Scully').getByRole('link').click();
      await page.getByTestId('unread-line').waitFor();
      await bubble(page, 'The door code comes by text in the morning.').getByRole('button', { name: 'Resend' }).waitFor();
      await check(page, `${size} day thread`);
      await page.getByRole('button', { name: 'Edit contact' }).click();
      await page.getByRole('dialog').getByLabel('Name').waitFor();
      await check(page, `${size} day contact editor`);
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

      await page.getByRole('button', { name: 'New message' }).click();
      await page.getByLabel('To', { exact: true }).pressSequentially('(555) 777-0101');
      await page.getByTestId('recipient-confirmation').getByText('SMS to +1 555-777-0101 (Dana Scully)').waitFor();
      await check(page, `${size} day new message`);
      await page.getByLabel('To', { exact: true }).fill('555-12');
      await page.getByLabel('Message', { exact: true }).fill('Hello');
      await page.getByLabel('Message', { exact: true }).press('Enter');
      await page.getByText('is not a phone number Hatch can text', { exact: false }).first().waitFor();
      await check(page, `${size} day new message refused`);

      await page.emulateMedia({ colorScheme: 'dark' });
      // On a phone the list is a screen of its own.
      if (size === 'phone') await page.getByRole('button', { name: 'Back to conversations' }).click();
      await row(page, '+15005550004').getByRole('link').click();
      await page.getByRole('note').waitFor();
      await check(page, `${size} day thread opted out dark`);

      if (found.length) console.log(found.join('\n'));
      expect(found).toEqual([]);
      expect(csp).toEqual([]);
    });
  }
});
