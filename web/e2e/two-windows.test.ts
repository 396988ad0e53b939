import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/chromium.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox, send, startConversation } from './support/pages.ts';

/** Milliseconds from Enter in `from` to the text being on screen in `to`, both by the same clock. */
async function measureDelivery(from: Page, to: Page, body: string): Promise<number> {
  await to.evaluate((text) => {
    const seen = () => [...document.querySelectorAll('[data-testid="message-body"]')].some((e) => e.textContent === text);
    (window as unknown as { seenAt: Promise<number> }).seenAt = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!seen()) return;
        observer.disconnect();
        resolve(Date.now());
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  }, body);
  const box = from.getByLabel('Message', { exact: true });
  await box.fill(body);
  await from.evaluate(() => {
    const w = window as unknown as { sentAt?: number };
    document.addEventListener('keydown', (e) => e.key === 'Enter' && (w.sentAt = Date.now()), { capture: true, once: true });
  });
  await box.press('Enter');
  const seenAt = await to.evaluate(() => (window as unknown as { seenAt: Promise<number> }).seenAt);
  const sentAt = await from.evaluate(() => (window as unknown as { sentAt: number }).sentAt);
  return seenAt - sentAt;
}

describe.skipIf(!chromiumAvailable())('two windows on one conversation', () => {
  const env = useInbox();

  it('shows a message sent in one window in the other within a second, without a reload', async () => {
    const a = await openInbox(env.browser.context, env.inbox.url);
    await startConversation(a, '+15550001111', 'Hello from window A');
    const b = await openInbox(env.browser.context, env.inbox.url, new URL(a.url()).pathname);
    await bubble(b, 'Hello from window A').waitFor();

    const latencies: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const ms = await measureDelivery(i % 2 ? a : b, i % 2 ? b : a, `Ping ${i} at ${Date.now()}`);
      console.log(`two-window latency: ${ms} ms`);
      latencies.push(ms);
    }
    const sorted = [...latencies].sort((x, y) => x - y);
    console.log(`two-window latency: median ${sorted[2]} ms, max ${sorted[4]} ms over ${sorted.length} sends`);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    // Each send shows once in each window: the optimistic copy gave way to the real one.
    for (const page of [a, b]) expect(await page.getByTestId('message-body').count()).toBe(6);
  });

  it('keeps everything across a reload: conversation, thread, statuses and the unsent draft', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await startConversation(page, 'Front desk', 'Towels for room 12, please');
    await send(page, 'And a late checkout');
    await bubble(page, 'And a late checkout').getByText('saved').waitFor();
    await page.getByLabel('Message', { exact: true }).fill('Half-written reply');

    await page.reload();
    await bubble(page, 'Towels for room 12, please').waitFor();
    expect(await bubble(page, 'And a late checkout').getByTestId('message-status').textContent()).toBe('saved');
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('Half-written reply');
    expect(await page.locator('.conversation-name').allTextContents()).toEqual(['Front desk', '+1 555-000-1111']);
    await page.getByRole('heading', { name: 'Front desk' }).waitFor();
  });
});
