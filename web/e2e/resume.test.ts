import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { chromiumAvailable, launchBrowser } from './support/chromium.ts';
import { watchGraphql } from './support/graphql-traffic.ts';
import { OUR_NUMBER, receiveSms } from './support/inbound-sms.ts';
import type { Inbox } from './support/inbox-server.ts';
import { useInbox } from './support/setup.ts';
import { bubble, gqlAs, openInbox, row, waitLive } from './support/pages.ts';

const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code } } }`;
const MARK_READ = `mutation($id: ID!) { markConversationRead(id: $id) { errors { code } } }`;
const STATUS = `query($id: ID!) { conversation(id: $id) { messages(last: 5) { edges { node { id status } } } } }`;

const idOf = (who: string) => conversationId(who, OUR_NUMBER);

async function statusOf(inbox: Inbox, who: string, messageId: string): Promise<string | undefined> {
  const { body } = await inbox.gql(STATUS, { id: idOf(who) });
  const edges = body.data.conversation.messages.edges as { node: { id: string; status: string } }[];
  return edges.find((e) => e.node.id === messageId)?.node.status;
}

/**
 * Breaks the page's event stream and keeps it from coming back until restoreStream. Going offline
 * only stops new requests (an open stream on loopback carries on), so the server drops every
 * connection too; the server itself keeps running, and writes go on as usual.
 */
async function dropStream(page: Page, inbox: Inbox): Promise<void> {
  await page.context().setOffline(true);
  inbox.app.server.closeAllConnections();
  await page.getByRole('status').getByText('Reconnecting…').waitFor({ timeout: 10_000 });
}

async function restoreStream(page: Page): Promise<void> {
  await page.context().setOffline(false);
  // graphql-sse's backoff may have grown while offline (up to 10 s between attempts).
  await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 15_000 });
}

/** Tells the page it is hidden or shown again, as switching tabs would. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((state) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden ? 'hidden' : 'visible');
}

describe.skipIf(!chromiumAvailable())('the event stream coming back', () => {
  // Slow enough that an SMS sent just before the break changes status during it.
  const env = useInbox({ sms: { simulatorStepMs: 1500 } });
  // A failed test must not leave the next one offline.
  afterEach(() => env.browser?.context.setOffline(false));

  it('resumes each feed from its cursor: what happened meanwhile shows, and no view reads its data again', async () => {
    const { inbox, browser } = env;
    const [other, guest, newcomer] = ['+15550301001', '+15550301002', '+15550301003'];
    await receiveSms(inbox, other, 'Is breakfast included?');
    await receiveSms(inbox, guest, 'Table for two at eight?');
    const page = await openInbox(browser.context, inbox.url, `/c/${idOf(guest)}`);
    await bubble(page, 'Table for two at eight?').waitFor();

    // Both feeds hear of the reply (a new message; new activity in the conversation), so each has a
    // cursor to resume from.
    const sent = (await inbox.gql(SEND, { input: { to: guest, body: 'Your table is ready' } })).body.data.sendMessage.message.id as string;
    await bubble(page, 'Your table is ready').waitFor({ timeout: 10_000 });
    await row(page, guest).locator('.conversation-preview', { hasText: 'Your table is ready' }).waitFor({ timeout: 10_000 });
    expect(await bubble(page, 'Your table is ready').getByTestId('message-status').textContent()).not.toBe('delivered');

    const traffic = watchGraphql(page);
    await dropStream(page, inbox);
    await receiveSms(inbox, guest, 'Thanks, on our way');
    await receiveSms(inbox, newcomer, 'Do you have parking?');
    // Read in another window of the same operator.
    expect((await gqlAs(browser.context, inbox.url, MARK_READ, { id: idOf(other) })).data.markConversationRead.errors).toEqual([]);
    await expect.poll(() => statusOf(inbox, guest, sent), { timeout: 10_000 }).toBe('DELIVERED');
    expect(await bubble(page, 'Your table is ready').getByTestId('message-status').textContent()).not.toBe('delivered');
    await restoreStream(page);

    await bubble(page, 'Thanks, on our way').waitFor({ timeout: 10_000 });
    await bubble(page, 'Your table is ready').getByText('delivered', { exact: true }).waitFor({ timeout: 10_000 });
    await row(page, newcomer).getByTestId('unread-badge').getByText('1', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await page.locator('.conversation').first().getAttribute('data-contact')).toBe(newcomer);
    await expect.poll(() => row(page, other).getByTestId('unread-badge').count(), { timeout: 10_000 }).toBe(0);
    // The open thread reads what arrives in it, replayed or live.
    await expect.poll(() => row(page, guest).getByTestId('unread-badge').count(), { timeout: 10_000 }).toBe(0);
    // Time for a reload to show itself, had one been asked for.
    await page.waitForTimeout(1000);
    traffic.stop();

    expect(traffic.queries()).toEqual([]);
    const resumed = traffic.stream.filter((o) => o.variables.after !== undefined);
    expect(resumed.map((o) => o.name).sort()).toEqual(['ConversationUpdated', 'MessageFeed']);
    // Each shows once: nothing was applied twice.
    for (const text of ['Thanks, on our way', 'Your table is ready', 'Table for two at eight?']) expect(await bubble(page, text).count()).toBe(1);
    expect(await row(page, newcomer).count()).toBe(1);
  });

  it('reloads what it shows, and subscribes from now, when the cursors have expired', async () => {
    const { inbox, browser } = env;
    const [known, unseen] = ['+15550302001', '+15550302002'];
    const page = await openInbox(browser.context, inbox.url);
    await receiveSms(inbox, known, 'Checking in today');
    await row(page, known).getByTestId('unread-badge').waitFor({ timeout: 10_000 });

    const traffic = watchGraphql(page);
    await dropStream(page, inbox);
    const [retention] = await inbox.db.query<{ through: string }>('SELECT pruned_through::text AS through FROM feed_retention');
    // As if retention had pruned every change there is: each cursor the page holds is too old.
    await inbox.db.query('UPDATE feed_retention SET pruned_through = 9223372036854775807');
    try {
      await receiveSms(inbox, unseen, 'Written while you were away');
      await restoreStream(page);
      // No event brings this: only reading the list again can.
      await row(page, unseen).getByTestId('unread-badge').waitFor({ timeout: 10_000 });
      expect(traffic.queries()).toContain('Conversations');
      // Tried with `after`, refused, then sent without it.
      for (const name of ['ConversationUpdated', 'MessageFeed']) {
        const sent = traffic.stream.filter((o) => o.name === name).map((o) => o.variables.after !== undefined);
        expect(sent).toEqual([true, false]);
      }
    } finally {
      await inbox.db.query('UPDATE feed_retention SET pruned_through = $1::bigint', [retention!.through]);
      traffic.stop();
    }

    // And the feeds run on.
    await receiveSms(inbox, known, 'After the fallback');
    await row(page, known).locator('.conversation-preview', { hasText: 'After the fallback' }).waitFor({ timeout: 10_000 });
  });

  it('resumes after a tab hidden long enough to pause its stream is shown again', async () => {
    const { inbox } = env;
    const [guest, newcomer] = ['+15550303001', '+15550303002'];
    // A browser of its own: its clock is faked, to skip the minute a hidden tab waits before pausing.
    const browser = await launchBrowser();
    try {
      await browser.context.clock.install();
      const page = await openInbox(browser.context, inbox.url);
      // A hidden tab pauses only while another tab of the inbox is on screen (background.test.ts).
      await openInbox(browser.context, inbox.url);
      await receiveSms(inbox, guest, 'Before the pause');
      await row(page, guest).getByTestId('unread-badge').waitFor({ timeout: 10_000 });

      const traffic = watchGraphql(page);
      await setHidden(page, true);
      await page.clock.fastForward('01:01');
      await page.getByRole('status').getByText('Paused', { exact: true }).waitFor({ timeout: 10_000 });
      await receiveSms(inbox, guest, 'While the tab was hidden');
      await receiveSms(inbox, newcomer, 'Hello from a new guest');
      await setHidden(page, false);
      await waitLive(page);

      await row(page, guest).locator('.conversation-preview', { hasText: 'While the tab was hidden' }).waitFor({ timeout: 10_000 });
      expect(await row(page, guest).getByTestId('unread-badge').textContent()).toBe('2');
      await row(page, newcomer).getByTestId('unread-badge').getByText('1', { exact: true }).waitFor({ timeout: 10_000 });
      await page.waitForTimeout(1000);
      traffic.stop();
      expect(traffic.queries()).toEqual([]);
      expect(traffic.stream.filter((o) => o.variables.after !== undefined).map((o) => o.name).sort()).toEqual(['ConversationUpdated', 'MessageFeed']);
    } finally {
      await browser.close();
    }
  });
});
