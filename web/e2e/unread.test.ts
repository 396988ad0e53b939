import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { OUR_NUMBER, receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, gqlAs, openInbox, row } from './support/pages.ts';

const GUEST = '+15550404040';
const UNREAD = `query($id: ID!) { conversation(id: $id) { unreadCount } }`;

/** Whether any part of `el` is inside the visible part of its scroller. */
const onScreen = (el: Locator) =>
  el.evaluate((node) => {
    const box = node.getBoundingClientRect();
    const view = node.closest('.message-scroll')!.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  });

describe.skipIf(!chromiumAvailable())('unread messages in a long thread', () => {
  const env = useInbox();
  // Read state is the operator's own: asked for, and marked, as the operator the page signs in as.
  const asOperator = (query: string) => gqlAs(env.browser.context, env.inbox.url, query, { id: conversationId(GUEST, OUR_NUMBER) });
  const unreadCount = async () => (await asOperator(UNREAD)).data.conversation.unreadCount as number;

  it('opens at an "unread from here" line, and reads the thread only once its newest message is seen', async () => {
    await receiveSms(env.inbox, GUEST, 'Read long ago');
    await asOperator(`mutation($id: ID!) { markConversationRead(id: $id) { errors { code } } }`);
    // 200 texts that came in while nobody looked.
    await env.inbox.db.query(
      `INSERT INTO messages (conversation_id, "from", "to", body, direction, channel, status, created_at)
       SELECT $1::uuid, $2, $3, 'Unread ' || lpad(i::text, 3, '0'), 'INBOUND', 'SMS', 'RECEIVED', now() + i * interval '1 millisecond'
         FROM generate_series(1, 200) i`,
      [conversationId(GUEST, OUR_NUMBER), GUEST, OUR_NUMBER],
    );
    expect(await unreadCount()).toBe(200);

    const page = await openInbox(env.browser.context, env.inbox.url);
    await row(page, GUEST).getByTestId('unread-badge').getByText('99+').waitFor();
    await row(page, GUEST).getByRole('link').click();
    const line = page.getByTestId('unread-line');
    await line.waitFor();
    await expect.poll(() => onScreen(line)).toBe(true);
    expect(await onScreen(bubble(page, 'Unread 001'))).toBe(true);
    expect(await onScreen(bubble(page, 'Unread 200'))).toBe(false);
    // The line sits between what was read and what was not.
    const order = await page.locator('.messages > li').evaluateAll((items) => items.map((li) => li.textContent ?? ''));
    const at = order.findIndex((t) => t.includes('Unread from here'));
    expect(order[at - 1]).toContain('Read long ago');
    expect(order[at + 1]).toContain('Unread 001');

    // Opened, not read: nothing is marked until the newest message has been on screen.
    await page.waitForTimeout(1500);
    expect(await unreadCount()).toBe(200);
    await page.locator('.message-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(unreadCount, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => row(page, GUEST).getByTestId('unread-badge').count()).toBe(0);
  });

  it('shows a "new messages" marker when one arrives while reading further up', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, `/c/${conversationId(GUEST, OUR_NUMBER)}`);
    await bubble(page, 'Unread 200').waitFor();
    await page.locator('.message-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight - el.clientHeight - 1500 }));
    await receiveSms(env.inbox, GUEST, 'One more thing');
    const marker = page.getByRole('button', { name: /New messages/ });
    // An SMS in through the webhook, then the feed, then the page: 2 s was tight while the whole suite ran.
    await marker.waitFor({ timeout: 10_000 });
    expect(await onScreen(bubble(page, 'One more thing'))).toBe(false);
    // Still unread: it has not been seen.
    expect(await unreadCount()).toBe(1);

    await marker.click();
    await expect.poll(() => onScreen(bubble(page, 'One more thing'))).toBe(true);
    await marker.waitFor({ state: 'detached' });
    // Marking read is a mutation and a feed event away; 3 s was tight while the whole suite ran.
    await expect.poll(unreadCount, { timeout: 10_000 }).toBe(0);
  });
});
