import type { BrowserContext, Page } from 'playwright-core';

/** Opens the inbox at `path` and waits until its event stream is live. */
export async function openInbox(context: BrowserContext, baseUrl: string, path = '/', viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  await page.goto(new URL(path, baseUrl).toString());
  await waitLive(page);
  return page;
}

export async function waitLive(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 10_000 });
}

/** The list row of the conversation with `who`. */
export function row(page: Page, who: string) {
  return page.locator('.conversation').filter({ has: page.locator('.conversation-name', { hasText: who }) });
}

/** Bubbles (real and optimistic) whose text is exactly `body`. */
export function bubble(page: Page, body: string) {
  return page.locator('.message').filter({ has: page.getByTestId('message-body').getByText(body, { exact: true }) });
}

/** Types into the composer and presses Enter. */
export async function send(page: Page, body: string): Promise<void> {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(body);
  await box.press('Enter');
}

/** Starts a conversation from the "New message" screen and waits for its thread to open. */
export async function startConversation(page: Page, to: string, body: string): Promise<void> {
  await page.getByRole('button', { name: 'New message' }).click();
  await page.getByLabel('To', { exact: true }).fill(to);
  await send(page, body);
  await page.waitForURL(/\/c\/[0-9a-f-]+$/);
}
