import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, type Browser } from './support/chromium.ts';
import { watchGraphql } from './support/graphql-traffic.ts';
import type { Database } from '../../server/db/database.ts';
import { conversationId, sortParticipants } from '../../server/modules/conversations/conversation-id.ts';
import { OUR_NUMBER, receiveSms } from './support/inbound-sms.ts';
import { startInbox, type Inbox } from './support/inbox-server.ts';
import { createOperator } from '../../server/modules/access/operators.service.ts';
import { bubble, openInbox, row } from './support/pages.ts';

/**
 * An inbound message written straight to the database, the way the webhook stores one (with our
 * number as our side), for a moment when the server is not running and the webhook cannot be called.
 */
async function writeInbound(db: Database, from: string, body: string) {
  const id = conversationId(from, OUR_NUMBER);
  const [a, b] = sortParticipants(from, OUR_NUMBER);
  await db.prisma.$executeRaw`INSERT INTO conversations (id, participant_a, participant_b, ours) VALUES (${id}::uuid, ${a}, ${b}, ${OUR_NUMBER}) ON CONFLICT DO NOTHING`;
  await db.prisma.message.create({
    data: { conversationId: id, from, to: OUR_NUMBER, body, direction: 'INBOUND', channel: 'SMS', status: 'RECEIVED' },
  });
}

describe.skipIf(!chromiumAvailable())('a server restart', () => {
  let dataDir: string;
  let inbox: Inbox;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hatch-e2e-'));
    inbox = await startInbox({}, { dataDir });
    browser = await launchBrowser();
  });

  afterEach(async () => {
    await browser?.closePages();
  });

  afterAll(async () => {
    await browser?.close();
    await inbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows Reconnecting…, then Live, and catches up on what happened meanwhile', async () => {
    await receiveSms(inbox, '+15550006666', 'Before the restart');
    await receiveSms(inbox, '+15550007777', 'Another guest');
    const list = await openInbox(browser.context, inbox.url);
    const thread = await openInbox(browser.context, inbox.url);
    await row(thread, '+15550006666').getByRole('link').click();
    await bubble(thread, 'Before the restart').waitFor();

    const port = Number(new URL(inbox.url).port);
    await inbox.close();
    for (const page of [list, thread]) await page.getByRole('status').getByText('Reconnecting…').waitFor({ timeout: 10_000 });

    // Written before the server listens again, so no window can be told: only the reload after
    // reconnecting can show these.
    inbox = await startInbox({}, {
      dataDir,
      port,
      beforeStart: async (db) => {
        await writeInbound(db, '+15550006666', 'Sent while you were away');
        await writeInbound(db, '+15550008888', 'A new guest wrote meanwhile');
      },
    });

    for (const page of [list, thread]) await page.getByRole('status').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    await bubble(thread, 'Sent while you were away').waitFor({ timeout: 10_000 });
    await row(list, '+15550008888').getByTestId('unread-badge').waitFor({ timeout: 10_000 });
    expect(await list.locator('.conversation').first().getAttribute('data-contact')).toBe('+15550008888');

    // And the live feed works again.
    await receiveSms(inbox, '+15550007777', 'After the restart');
    await row(list, '+15550007777').locator('.conversation-preview', { hasText: 'After the restart' }).waitFor({ timeout: 10_000 });
  });

  it('resumes each feed from its cursor after the restart, so nothing is read again', async () => {
    await receiveSms(inbox, '+15550009111', 'Hello');
    const page = await openInbox(browser.context, inbox.url, `/c/${conversationId('+15550009111', OUR_NUMBER)}`);
    await bubble(page, 'Hello').waitFor();
    // An event on each feed (a message, and activity in its conversation): each has a cursor.
    await receiveSms(inbox, '+15550009111', 'Are you open today?');
    await bubble(page, 'Are you open today?').waitFor({ timeout: 10_000 });
    await row(page, '+15550009111').locator('.conversation-preview', { hasText: 'Are you open today?' }).waitFor({ timeout: 10_000 });

    const traffic = watchGraphql(page);
    const port = Number(new URL(inbox.url).port);
    await inbox.close();
    await page.getByRole('status').getByText('Reconnecting…').waitFor({ timeout: 10_000 });
    // Written while no server runs: these reach the page only from the change tables.
    inbox = await startInbox({}, {
      dataDir,
      port,
      beforeStart: async (db) => {
        await writeInbound(db, '+15550009111', 'We are on our way');
        await writeInbound(db, '+15550009222', 'Do you take bookings?');
      },
    });

    await page.getByRole('status').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    await bubble(page, 'We are on our way').waitFor({ timeout: 10_000 });
    await row(page, '+15550009222').getByTestId('unread-badge').waitFor({ timeout: 10_000 });
    expect(await page.locator('.conversation').first().getAttribute('data-contact')).toBe('+15550009222');
    await page.waitForTimeout(1000);
    traffic.stop();
    expect(traffic.queries()).toEqual([]);
    expect(await bubble(page, 'We are on our way').count()).toBe(1);
  });

  it("shows a colleague in the thread again after the restart, without waiting for their next beat", async () => {
    const bob = { email: 'bob.restart@example.com', password: 'bob has a long password', name: 'Bob' };
    const made = await createOperator(inbox.db, bob);
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    const bobBrowser = await launchBrowser();
    try {
      expect((await bobBrowser.context.request.post(new URL('/auth/sign-in', inbox.url).toString(), { data: { email: bob.email, password: bob.password } })).ok()).toBe(true);
      await receiveSms(inbox, '+15550009333', 'Anyone there?');
      const path = `/c/${conversationId('+15550009333', OUR_NUMBER)}`;
      const ana = await openInbox(browser.context, inbox.url, path);
      const bobPage = await openInbox(bobBrowser.context, inbox.url, path);
      const line = ana.locator('.presence-line');
      await expect.poll(() => line.textContent()).toBe('Bob is viewing');
      await expect.poll(() => bobPage.locator('.presence-line').textContent()).toBe('Ana is viewing');

      const port = Number(new URL(inbox.url).port);
      await inbox.close();
      await ana.getByRole('status').getByText('Reconnecting…').waitFor({ timeout: 10_000 });
      inbox = await startInbox({}, { dataDir, port });
      await ana.getByRole('status').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
      // The new server knew nobody; each page said it was there again as soon as it was back.
      const back = Date.now();
      await expect.poll(() => line.textContent(), { timeout: 10_000 }).toBe('Bob is viewing');
      await expect.poll(() => bobPage.locator('.presence-line').textContent(), { timeout: 10_000 }).toBe('Ana is viewing');
      // Well within the 10 s between beats.
      expect(Date.now() - back).toBeLessThan(3000);
    } finally {
      await bobBrowser.close();
    }
  });
});
