import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/chromium.ts';
import { useInbox } from './support/setup.ts';
import { bubble, description, openInbox, send } from './support/pages.ts';

const PHONE = { width: 360, height: 740 };

/** Every conversation the server holds, by its other participant. */
async function recipients(env: ReturnType<typeof useInbox>): Promise<string[]> {
  const { body } = await env.inbox.gql(`{ conversations(first: 50) { edges { node { contact { address } } } } }`);
  return body.data.conversations.edges.map((e: { node: { contact: { address: string } } }) => e.node.contact.address).sort();
}

/** Puts `text` on the clipboard and pastes it into the To field with Ctrl+V, as from a web page. */
async function paste(page: Page, text: string): Promise<void> {
  const to = page.getByLabel('To', { exact: true });
  await to.fill('');
  await to.focus();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
  expect(await to.inputValue()).toBe(text);
}

const confirmation = (page: Page) => page.getByTestId('recipient-confirmation');

describe.skipIf(!chromiumAvailable())('a recipient as people type and paste it', () => {
  const env = useInbox();

  it('reads numbers typed with spaces, brackets and dashes, confirms them, and texts one number (360 px)', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/', PHONE);
    for (const [i, typed] of ['+1 555 123 4567', '(555) 123-4567', '5551234567', '555-123-4567'].entries()) {
      await page.getByRole('button', { name: 'New message' }).click();
      const to = page.getByLabel('To', { exact: true });
      await to.pressSequentially(typed);
      await confirmation(page).getByText('SMS to +1 555-123-4567', { exact: true }).waitFor();
      expect(await description(page, 'To')).toContain('SMS to +1 555-123-4567');
      await send(page, `Typed as ${typed}`);
      await page.waitForURL(/\/c\/[0-9a-f-]+$/);
      await bubble(page, `Typed as ${typed}`).getByText('delivered').waitFor();
      await page.getByRole('heading', { name: '+1 555-123-4567' }).waitFor();
      expect(await page.locator('.message').count()).toBe(i + 1);
      await page.getByRole('button', { name: 'Back to conversations' }).click();
    }
    expect(await recipients(env)).toEqual(['+15551234567']);
  });

  it('reads a pasted number with non-breaking hyphens, or a tel: link, as the same number by SMS', async () => {
    await env.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.inbox.url });
    const page = await openInbox(env.browser.context, env.inbox.url, '/new');
    for (const pasted of ['+1\u2011555\u2011123\u20114567', 'tel:+15551234567']) {
      await paste(page, pasted);
      await confirmation(page).getByText('SMS to +1 555-123-4567', { exact: true }).waitFor();
    }
    await send(page, 'Pasted from the booking page');
    await page.waitForURL(/\/c\/[0-9a-f-]+$/);
    await bubble(page, 'Pasted from the booking page').getByText('delivered').waitFor();
    expect(await recipients(env)).toEqual(['+15551234567']);
  });

  it('refuses what looks like a number and is not one, and says plainly when a name is kept in Hatch only', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/new');
    const to = page.getByLabel('To', { exact: true });
    await to.pressSequentially('555-12');
    await confirmation(page).getByText('Not a phone number Hatch can text', { exact: false }).waitFor();
    await send(page, 'Never stored under a name');
    await page.getByText('"555-12" is not a phone number Hatch can text', { exact: false }).waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await recipients(env)).toEqual(['+15551234567']);

    await to.fill('');
    await to.pressSequentially('Room 101');
    await confirmation(page).getByText('“Room 101” is a name: the conversation is kept in Hatch only; nothing is sent.').waitFor();
    expect(await to.getAttribute('aria-invalid')).toBeNull();
    // The composer counts characters, not SMS segments, for a name.
    expect(await page.getByLabel('Message', { exact: true }).getAttribute('placeholder')).toBe('Note (stored in Hatch only)');
  });
});
