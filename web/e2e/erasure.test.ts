import { describe, expect, it } from 'vitest';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { OUR_NUMBER, receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { gqlAs, openInbox, row } from './support/pages.ts';

const GUEST = '+15553020001';

// A customer asks to be forgotten: an admin erases them from the contact's dialog, after a
// question that says what goes; every window drops the conversation.
describe.skipIf(!chromiumAvailable())('erasing a contact', () => {
  const env = useInbox();

  it('asks first, naming what goes, then erases; another window drops the row live', async () => {
    await receiveSms(env.inbox, GUEST, 'Please forget me');
    await receiveSms(env.inbox, GUEST, 'Really, everything');
    await gqlAs(env.browser.context, env.inbox.url, `mutation { updateContact(input: { address: "${GUEST}", name: "Gwen Gone" }) { errors { code } } }`);
    const other = await openInbox(env.browser.context, env.inbox.url);
    await row(other, 'Gwen Gone').waitFor();

    const page = await openInbox(env.browser.context, env.inbox.url, `/c/${conversationId(GUEST, OUR_NUMBER)}`, { width: 360, height: 740 });
    await page.getByRole('button', { name: 'Edit contact' }).click();
    const dialog = page.getByRole('dialog', { name: /Contact/ });
    await dialog.getByRole('button', { name: 'Erase this contact…' }).click();
    const question = dialog.getByRole('group', { name: 'Erase Gwen Gone?' });
    await question.getByText('1 conversation, 2 messages and 0 notes').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep');
    const violations = await axeViolations(page);
    expect(violations, describeViolations('the erasure question at 360 px', violations)).toEqual([]);

    // Keep withdraws it; nothing goes.
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Erase this contact…' }).waitFor();
    await dialog.getByRole('button', { name: 'Erase this contact…' }).click();
    await question.getByRole('button', { name: 'Erase for good' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await row(page, 'Gwen Gone').count()).toBe(0);
    await expect.poll(() => row(other, 'Gwen Gone').count(), { timeout: 10_000 }).toBe(0);
    const left = await env.inbox.db.query(`SELECT 1 FROM messages WHERE body LIKE 'Please forget%' OR body LIKE 'Really, every%'`);
    expect(left).toEqual([]);
  });
});
