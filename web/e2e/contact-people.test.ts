import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, gqlAs, openInbox, row, waitLive } from './support/pages.ts';

// One person, several numbers: added from the contact editor by keyboard, undone, and shown
// together in Contacts and above each of their threads, live in a window already open.
describe.skipIf(!chromiumAvailable())("a contact's several numbers", () => {
  const env = useInbox();

  it('adds an office number by keyboard at 360 px, shows both conversations together, and undoes', async () => {
    await receiveSms(env.inbox, '+15553050001', 'Hello from Dana’s mobile');
    await receiveSms(env.inbox, '+15553050002', 'Hello from the office line');
    await gqlAs(env.browser.context, env.inbox.url, `mutation { updateContact(input: { address: "+15553050001", name: "Dana Scully" }) { errors { code } } }`);
    // A window already on the office line's thread, which learns it is Dana's.
    const office = await openInbox(env.browser.context, env.inbox.url, '/');
    await waitLive(office);
    await row(office, '+1 555-305-0002').click();
    await bubble(office, 'Hello from the office line').waitFor();

    const page = await openInbox(env.browser.context, env.inbox.url, '/contacts', { width: 360, height: 740 });
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('dana');
    await expect.poll(() => page.getByTestId('contact').count()).toBe(1);
    await page.getByRole('button', { name: 'Edit Dana Scully' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /Contact/ });
    const numbers = dialog.getByRole('region', { name: 'Numbers' }).getByRole('listitem');
    await expect.poll(() => numbers.allTextContents()).toEqual(['+1 555-305-0001']);

    // A mistake first: said, and nothing changes.
    const field = dialog.getByRole('textbox', { name: 'Add a number or a contact' });
    await field.focus();
    await page.keyboard.type('+1555');
    await page.keyboard.press('Enter');
    await dialog.getByText('"+1555" is not a phone number').waitFor();
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');

    await field.fill('');
    await page.keyboard.type('(555) 305-0002');
    await page.keyboard.press('Enter');
    await dialog.getByRole('status').filter({ hasText: 'Added (555) 305-0002.' }).waitFor();
    await expect.poll(() => numbers.allTextContents()).toEqual(['+1 555-305-0001', '+1 555-305-0002']);
    const violations = await axeViolations(page);
    expect(violations, describeViolations('the contact editor with two numbers at 360 px', violations)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // The open window: the office line is Dana's now, her other conversation a link away.
    await office.getByRole('heading', { name: 'Dana Scully' }).waitFor();
    const also = office.getByRole('navigation', { name: 'Other conversations with Dana Scully' });
    await also.getByRole('link', { name: '+1 555-305-0001' }).click();
    await bubble(office, 'Hello from Dana’s mobile').waitFor();
    await office.getByRole('navigation', { name: 'Other conversations with Dana Scully' }).getByRole('link', { name: '+1 555-305-0002' }).waitFor();

    // Both conversations together, each message saying which number it was with.
    await office.getByRole('navigation', { name: 'Other conversations with Dana Scully' }).getByRole('link', { name: 'All together' }).click();
    await office.getByRole('heading', { name: 'Dana Scully: all conversations' }).waitFor();
    await office.locator('.message', { hasText: 'From +1 555-305-0001' }).getByText('Hello from Dana’s mobile').waitFor();
    await office.locator('.message', { hasText: 'From +1 555-305-0002' }).getByText('Hello from the office line').waitFor();

    // A third number, then Undo: back to two, from the keyboard.
    await field.focus();
    await page.keyboard.type('+15553050003');
    await page.keyboard.press('Enter');
    await expect.poll(() => numbers.count()).toBe(3);
    await dialog.getByRole('button', { name: 'Undo' }).focus();
    await page.keyboard.press('Enter');
    await dialog.getByRole('status').filter({ hasText: '+15553050003 is a contact of its own again.' }).waitFor();
    await expect.poll(() => numbers.allTextContents()).toEqual(['+1 555-305-0001', '+1 555-305-0002']);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Contacts: one row for Dana with both numbers, each conversation a link.
    const item = page.getByTestId('contact').filter({ hasText: 'Dana Scully' });
    await item.getByText('+1 555-305-0001 · +1 555-305-0002').waitFor();
    await item.getByRole('link', { name: /with \+1 555-305-0002/ }).click();
    await page.waitForURL(/\/c\//);
    await bubble(page, 'Hello from the office line').waitFor();
    const threadViolations = await axeViolations(page);
    expect(threadViolations, describeViolations('a thread with the person’s other conversations at 360 px', threadViolations)).toEqual([]);
  });

  it('pages back through a person’s conversations together, and adds what arrives live, nothing twice', async () => {
    const [mobile, office] = ['+15553050011', '+15553050012'];
    await receiveSms(env.inbox, office, 'office 0');
    for (let i = 1; i <= 60; i++) await receiveSms(env.inbox, mobile, `mobile ${i}`);
    await gqlAs(env.browser.context, env.inbox.url, `mutation { mergeContacts(input: { into: "${mobile}", address: "${office}" }) { errors { code } } }`);
    const page = await openInbox(env.browser.context, env.inbox.url, `/person?address=${encodeURIComponent(mobile)}`, { width: 360, height: 740 });
    await waitLive(page);
    await page.locator('.person-view').getByText('mobile 60', { exact: true }).waitFor();
    const bodies = () => page.locator('.person-view [data-testid="message-body"]').allTextContents();
    expect(await bodies()).toHaveLength(50);
    const violations = await axeViolations(page);
    expect(violations, describeViolations('a person’s conversations together at 360 px', violations)).toEqual([]);

    await page.getByRole('button', { name: 'Show earlier messages' }).click();
    await page.getByText('Start of their conversations').waitFor();
    await receiveSms(env.inbox, office, 'office 61');
    await page.locator('.person-view .message', { hasText: 'From +1 555-305-0012' }).getByText('office 61').waitFor();
    expect(await bodies()).toEqual(['office 0', ...Array.from({ length: 60 }, (_, i) => `mobile ${i + 1}`), 'office 61']);
  });
});
