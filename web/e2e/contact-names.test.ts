import { describe, expect, it } from 'vitest';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { OUR_NUMBER } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, gqlAs, openInbox, send } from './support/pages.ts';

const FOX = '+15552010001';
const NAME = `mutation($address: String!, $name: String) { updateContact(input: { address: $address, name: $name }) { errors { code } } }`;

// "Fox Mulder" is +1 555-201-0001: a new message to the name texts the number, in the number's
// thread, and the To field offers the contact as soon as a part of the name or number is typed.
describe.skipIf(!chromiumAvailable())("a contact's name in the To field", () => {
  const env = useInbox();

  it('suggests the contact as the name is typed, takes it from the keyboard, and texts their number (360 px)', async () => {
    await gqlAs(env.browser.context, env.inbox.url, NAME, { address: FOX, name: 'Fox Mulder' });
    const page = await openInbox(env.browser.context, env.inbox.url, '/new', { width: 360, height: 740 });
    const to = page.getByRole('combobox', { name: 'To' });
    await to.pressSequentially('mul');
    const option = page.getByRole('option', { name: /Fox Mulder/ });
    await option.waitFor();
    expect(await to.getAttribute('aria-expanded')).toBe('true');
    const violations = await axeViolations(page);
    expect(violations, describeViolations('the To field with suggestions at 360 px', violations)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.keyboard.press('ArrowDown');
    expect(await to.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await to.inputValue()).toBe('+1 555-201-0001');
    await page.getByTestId('recipient-confirmation').getByText('SMS to +1 555-201-0001 (Fox Mulder)').waitFor();
    expect(await to.getAttribute('aria-expanded')).toBe('false');

    // Escape closes the list and stays on the page.
    await to.fill('');
    await to.pressSequentially('Fox Mulder');
    await page.getByTestId('recipient-confirmation').getByText('SMS to +1 555-201-0001 (Fox Mulder)').waitFor();
    await send(page, 'Texted by name');
    await page.waitForURL(new RegExp(`/c/${conversationId(FOX, OUR_NUMBER)}$`));
    await bubble(page, 'Texted by name').getByText('delivered').waitFor();
    const named = await env.inbox.db.query(`SELECT 1 FROM conversations WHERE lower(participant_a) = 'fox mulder' OR lower(participant_b) = 'fox mulder'`);
    expect(named).toEqual([]);
  });

  it('closes the suggestions with Escape without leaving the page, and finds a contact by a part of the number', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/new');
    const to = page.getByRole('combobox', { name: 'To' });
    await to.pressSequentially('201-00');
    await page.getByRole('option', { name: /Fox Mulder/ }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => to.getAttribute('aria-expanded')).toBe('false');
    expect(new URL(page.url()).pathname).toBe('/new');
    // Typing again opens it again.
    await to.pressSequentially('0');
    await page.getByRole('option', { name: /Fox Mulder/ }).waitFor();
  });
});
