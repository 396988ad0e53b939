import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, type Browser } from './support/chromium.ts';
import { startInbox, type Inbox } from './support/inbox-server.ts';
import { bubble, openInbox, send, startConversation } from './support/pages.ts';

const UNSENT = 'Not sent · kept here, sent when the connection is back';

describe.skipIf(!chromiumAvailable())('messages sent while the server is down', () => {
  let dataDir: string;
  let inbox: Inbox;
  let browser: Browser;
  let port: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hatch-e2e-'));
    inbox = await startInbox({}, { dataDir });
    port = Number(new URL(inbox.url).port);
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

  const stopServer = async (page: Page) => {
    await inbox.close();
    await page.getByRole('status').getByText('Reconnecting…').waitFor({ timeout: 10_000 });
  };
  const startServer = async () => {
    inbox = await startInbox({}, { dataDir, port });
  };
  const stored = async (body: string) => (await inbox.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE body = $1', [body]))[0]!.n;

  it('keeps an unsent message, warns before the page is left, and sends it once the connection is back', async () => {
    const page = await openInbox(browser.context, inbox.url);
    await startConversation(page, 'Front desk', 'Before the outage');
    // The thread has loaded (its composer is there) before the server goes away.
    await bubble(page, 'Before the outage').waitFor();
    await page.getByLabel('Message', { exact: true }).waitFor();
    await stopServer(page);

    await send(page, 'Sent while the server was down');
    await bubble(page, 'Sent while the server was down').getByText(UNSENT).waitFor({ timeout: 10_000 });
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('');

    // Closing the tab now would lose it: the browser asks first.
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    await page.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);

    await startServer();
    await page.getByRole('status').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    await bubble(page, 'Sent while the server was down').getByText('saved', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await stored('Sent while the server was down')).toBe(1);
    expect(await page.locator('.message.pending').count()).toBe(0);
  });

  it('sends several unsent messages in the order they were written', async () => {
    const page = await openInbox(browser.context, inbox.url);
    await startConversation(page, 'Night desk', 'Before the second outage');
    await bubble(page, 'Before the second outage').waitFor();
    await page.getByLabel('Message', { exact: true }).waitFor();
    await stopServer(page);
    for (const body of ['Order A', 'Order B', 'Order C']) {
      await send(page, body);
      await bubble(page, body).getByText(UNSENT).waitFor({ timeout: 10_000 });
    }
    // The first one written is slow to reach the server: sent side by side, the others would overtake it.
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('Order A')) await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    });
    await startServer();
    await page.getByRole('status').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    await bubble(page, 'Order C').getByText('saved', { exact: true }).waitFor({ timeout: 10_000 });
    const rows = await inbox.db.query<{ body: string }>(`SELECT body FROM messages WHERE body LIKE 'Order _' ORDER BY created_at, id`);
    expect(rows.map((r) => r.body)).toEqual(['Order A', 'Order B', 'Order C']);
    const shown = await page.locator('[data-testid="message-body"]').allTextContents();
    expect(shown.filter((b) => b.startsWith('Order '))).toEqual(['Order A', 'Order B', 'Order C']);
  });

  it('keeps it across a reload while the server is down, and sends it when the page is back', async () => {
    const page = await openInbox(browser.context, inbox.url);
    await startConversation(page, 'Housekeeping', 'Room 4 is ready');
    const thread = page.url();
    await bubble(page, 'Room 4 is ready').waitFor();
    await page.getByLabel('Message', { exact: true }).waitFor();
    await stopServer(page);

    await send(page, 'Written offline, then reloaded');
    await bubble(page, 'Written offline, then reloaded').getByText(UNSENT).waitFor({ timeout: 10_000 });
    page.once('dialog', (d) => void d.accept());
    // The server is down: the reload itself fails, as it would for anyone.
    await page.reload().catch(() => undefined);

    await startServer();
    await page.goto(thread);
    await page.getByRole('status').getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    await bubble(page, 'Written offline, then reloaded').getByText('saved', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await bubble(page, 'Written offline, then reloaded').count()).toBe(1);
    expect(await stored('Written offline, then reloaded')).toBe(1);
    // Nothing is left waiting to be sent again by the next page.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hatch:unsent:')))).toEqual([]);
  });
});
