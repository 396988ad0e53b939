import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { conversationId, sortParticipants } from '../../server/modules/conversations/conversation-id.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox, row, startConversation } from './support/pages.ts';

const filter = (page: Page, name: 'Open' | 'Done' | 'All') => page.getByRole('group', { name: 'Show conversations' }).getByRole('button', { name });

describe.skipIf(!chromiumAvailable())('contacts, and conversations done and open', () => {
  const env = useInbox();

  it('names a contact in one window and every window shows the name, with the number under it', async () => {
    await receiveSms(env.inbox, '+15557770101', 'Is early check-in possible?');
    const a = await openInbox(env.browser.context, env.inbox.url);
    const b = await openInbox(env.browser.context, env.inbox.url);
    await row(a, '+1 555-777-0101').getByRole('link').click();
    await a.getByRole('button', { name: 'Edit contact' }).click();
    const dialog = a.getByRole('dialog', { name: /Contact/ });
    await dialog.getByLabel('Name').fill('Dana Scully');
    await dialog.getByLabel('Notes').fill('Room 12, arrives Friday');
    await dialog.getByRole('button', { name: 'Save contact' }).click();
    await dialog.waitFor({ state: 'detached' });

    await a.getByRole('heading', { name: 'Dana Scully' }).waitFor({ timeout: 10_000 });
    await a.locator('.thread-subtitle').getByText('+1 555-777-0101', { exact: false }).waitFor();
    await a.locator('.thread-notes').getByText('Room 12, arrives Friday').waitFor();
    // The other window hears of it live, without a reload.
    await row(b, 'Dana Scully').waitFor({ timeout: 10_000 });
    await b.getByLabel('Search conversations').fill('scully');
    await expect.poll(() => b.locator('.conversation-name').allTextContents()).toEqual(['Dana Scully']);

    // Blank removes the name again: the number is shown, formatted for people.
    await a.getByRole('button', { name: 'Edit contact' }).click();
    await a.getByRole('dialog').getByLabel('Name').fill('');
    await a.getByRole('dialog').getByRole('button', { name: 'Save contact' }).click();
    // The thread's own heading (exact), not the closing dialog's "Contact +1 555-777-0101".
    await a.getByRole('heading', { name: '+1 555-777-0101', exact: true }).waitFor({ timeout: 10_000 });
  });

  it('marks a conversation done in one window, and it leaves the open list of every window until the contact writes again', async () => {
    await receiveSms(env.inbox, '+15557770142', 'Can I bring my dog?');
    const a = await openInbox(env.browser.context, env.inbox.url);
    const b = await openInbox(env.browser.context, env.inbox.url);
    await row(a, '+1 555-777-0142').getByRole('link').click();
    await bubble(a, 'Can I bring my dog?').waitFor();
    await a.getByRole('button', { name: 'Mark done' }).click();

    await a.getByRole('button', { name: 'Reopen' }).waitFor();
    for (const page of [a, b]) await expect.poll(() => row(page, '+1 555-777-0142').count(), { timeout: 10_000 }).toBe(0);
    await filter(b, 'Done').click();
    await row(b, '+1 555-777-0142').getByText('Done', { exact: true }).waitFor();
    await filter(b, 'Open').click();

    await receiveSms(env.inbox, '+15557770142', 'Also a cat, actually');
    for (const page of [a, b]) await row(page, '+1 555-777-0142').waitFor({ timeout: 10_000 });
    await a.getByRole('button', { name: 'Mark done' }).waitFor();
  });

  it('marks a conversation unread again, in every window', async () => {
    await receiveSms(env.inbox, '+15557770199', 'Thanks for the towels');
    const a = await openInbox(env.browser.context, env.inbox.url);
    const b = await openInbox(env.browser.context, env.inbox.url);
    await row(a, '+1 555-777-0199').getByRole('link').click();
    await bubble(a, 'Thanks for the towels').waitFor();
    for (const page of [a, b]) await expect.poll(() => row(page, '+1 555-777-0199').getByTestId('unread-badge').count(), { timeout: 10_000 }).toBe(0);

    await a.getByRole('button', { name: 'Mark unread' }).click();
    // Back to the list, or the open thread would read it again at once.
    await a.waitForURL((url) => url.pathname === '/');
    for (const page of [a, b]) await row(page, '+1 555-777-0199').getByTestId('unread-badge').getByText('1', { exact: true }).waitFor({ timeout: 10_000 });
  });

  it('names each sender where neither side is ours, and treats "alice" and "Alice" as one person', async () => {
    // Imported from the old service: neither participant is known to be this inbox.
    const id = conversationId('Alice', 'Bob');
    const [first, second] = sortParticipants('Alice', 'Bob');
    await env.inbox.db.query(`INSERT INTO conversations (id, participant_a, participant_b, ours) VALUES ($1, $2, $3, NULL)`, [id, first, second]);
    for (const [from, to, body] of [
      ['Alice', 'Bob', 'Lunch at noon?'],
      ['Bob', 'Alice', 'Sounds good, see you there'],
    ]) {
      await env.inbox.db.query(`INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status) VALUES ($1, $2, $3, $4, 'OUTBOUND', 'INTERNAL', 'STORED')`, [id, from, to, body]);
    }
    const page = await openInbox(env.browser.context, env.inbox.url);
    const alice = row(page, 'Alice & Bob');
    expect(await alice.locator('.conversation-preview').textContent()).toBe('Bob: Sounds good, see you there');
    await alice.getByRole('link').click();
    await page.getByRole('heading', { name: 'Alice & Bob' }).waitFor();
    expect(await bubble(page, 'Lunch at noon?').locator('.sender-name').textContent()).toBe('Alice');
    expect(await bubble(page, 'Sounds good, see you there').locator('.sender-name').textContent()).toBe('Bob');
    expect(await page.locator('.message.out').count()).toBe(0);

    await startConversation(page, 'Housekeeping', 'Room 12 needs towels');
    await page.getByRole('button', { name: 'New message' }).click();
    await page.getByLabel('To', { exact: true }).fill('housekeeping');
    await page.getByTestId('recipient-confirmation').getByText('“Housekeeping” is a name', { exact: false }).waitFor();
    await page.getByLabel('Message', { exact: true }).fill('And fresh soap');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await bubble(page, 'And fresh soap').waitFor();
    await bubble(page, 'Room 12 needs towels').waitFor();
    expect(await row(page, 'Housekeeping').count()).toBe(1);
    await page.getByLabel('Search conversations').fill('HOUSEKEEPING');
    await expect.poll(() => page.locator('.conversation-name').allTextContents()).toEqual(['Housekeeping']);
  });
});
