import type { BrowserContext, Page } from 'playwright-core';
import { credentialsFor } from './inbox-server.ts';

/**
 * Signs the browser in as the inbox's operator, unless its session still works. Through the
 * context's request API, which shares the browser's cookies: every page opened afterwards is
 * signed in. (The sign-in page itself has tests of its own.)
 */
export async function ensureSignedIn(context: BrowserContext, baseUrl: string): Promise<void> {
  const credentials = credentialsFor(baseUrl);
  if (!credentials) throw new Error(`no operator to sign in as at ${baseUrl}`);
  if ((await context.request.get(new URL('/auth/session', baseUrl).toString())).ok()) return;
  const res = await context.request.post(new URL('/auth/sign-in', baseUrl).toString(), { data: credentials });
  if (!res.ok()) throw new Error(`signing in failed: ${res.status()} ${await res.text()}`);
}

/** Ends the browser's session, as the Sign out button would. */
export async function signOut(context: BrowserContext, baseUrl: string): Promise<void> {
  await context.request.post(new URL('/auth/sign-out', baseUrl).toString(), { data: {} });
}

/** Opens the inbox at `path`, signed in, and waits until its event stream is live. */
export async function openInbox(context: BrowserContext, baseUrl: string, path = '/', viewport = { width: 1280, height: 800 }): Promise<Page> {
  await ensureSignedIn(context, baseUrl);
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  await page.goto(new URL(path, baseUrl).toString());
  await waitLive(page);
  return page;
}

export async function waitLive(page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 10_000 });
}

/**
 * The list row of the conversation with `who`: as the row names them ("Dana", "+1 555-123-4567"),
 * or by the address stored ("+15551234567").
 */
export function row(page: Page, who: string) {
  const named = page.locator('.conversation').filter({ has: page.locator('.conversation-name', { hasText: who }) });
  return named.or(page.locator(`.conversation[data-contact=${JSON.stringify(who)}]`));
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

/** The text of the elements the aria-describedby of the field labelled `label` points at. */
export async function description(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/**
 * A GraphQL request as the browser's signed-in operator (their cookie, their origin): what the
 * operator sees, where it is theirs alone, such as read state.
 */
export async function gqlAs(context: BrowserContext, baseUrl: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  await ensureSignedIn(context, baseUrl);
  const res = await context.request.post(new URL('/graphql', baseUrl).toString(), {
    data: { query, variables },
    headers: { origin: new URL(baseUrl).origin, accept: 'application/graphql-response+json' },
  });
  return res.json();
}
