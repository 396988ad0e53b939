import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/chromium.ts';
import { OPERATOR } from './support/inbox-server.ts';
import { useInbox } from './support/setup.ts';
import { bubble, description, openInbox, send, signOut, startConversation, waitLive } from './support/pages.ts';

async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.skipIf(!chromiumAvailable())('signing in', () => {
  const env = useInbox();
  const path = (page: Page) => new URL(page.url()).pathname + new URL(page.url()).search;

  it('says when the password is wrong, then signs in and opens the page that was asked for', async () => {
    await signOut(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    await page.goto(new URL('/settings', env.inbox.url).toString());
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(path(page)).toBe('/sign-in?next=%2Fsettings');

    await fillSignIn(page, OPERATOR.email, 'not the password');
    const alert = page.getByRole('alert');
    await alert.getByText('That email and password do not match an operator.').waitFor();
    const password = page.getByLabel('Password', { exact: true });
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    expect(await description(page, 'Password')).toContain('do not match');
    // Ready to retype: emptied and focused.
    expect(await password.inputValue()).toBe('');
    expect(await password.evaluate((el) => el === document.activeElement)).toBe(true);

    await password.fill(OPERATOR.password);
    await password.press('Enter');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(path(page)).toBe('/settings');
    await waitLive(page);
    expect(await page.getByTestId('signed-in-name').textContent()).toBe(OPERATOR.name);
  });

  it('says how long to wait after too many attempts', async () => {
    await signOut(env.browser.context, env.inbox.url);
    const email = 'guesswork@example.com';
    for (let i = 0; i < 10; i++) {
      await fetch(`${env.inbox.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: `guess ${i}` }) });
    }
    const page = await env.browser.context.newPage();
    await page.goto(new URL('/', env.inbox.url).toString());
    await fillSignIn(page, email, 'one more guess');
    await page.getByRole('alert').getByText(/^Too many attempts\. Try again in \d+ min( \d+ s)?\.$/).waitFor();
  });

  it('goes on to a page of the server that is not the inbox with a full load, and never to another site', async () => {
    await signOut(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    // GraphiQL sends a person without a session to sign in, and asks to come back.
    await page.goto(new URL('/graphql', env.inbox.url).toString());
    await page.waitForURL(/\/sign-in\?next=%2Fgraphql$/);
    await fillSignIn(page, OPERATOR.email, OPERATOR.password);
    await page.waitForURL((url) => url.pathname === '/graphql');
    await page.waitForFunction(() => document.title.toLowerCase().includes('graphiql') || document.querySelector('.graphiql-container') !== null);

    await signOut(env.browser.context, env.inbox.url);
    // Also paths that only become "//example.com" once the browser normalises them.
    for (const next of ['//example.com/x', '/\\example.com', 'https://example.com/', '/.//example.com', '/..//example.com', '/x/..//example.com', '/%2e//example.com']) {
      await page.goto(new URL(`/sign-in?next=${encodeURIComponent(next)}`, env.inbox.url).toString());
      await fillSignIn(page, OPERATOR.email, OPERATOR.password);
      await waitLive(page);
      expect(new URL(page.url()).origin).toBe(env.inbox.url);
      expect(new URL(page.url()).pathname).toBe('/');
      await signOut(env.browser.context, env.inbox.url);
    }
    // Signed in already, the sign-in page goes on at once: still never to another site.
    await openInbox(env.browser.context, env.inbox.url);
    await page.goto(new URL(`/sign-in?next=${encodeURIComponent('/.//example.com')}`, env.inbox.url).toString());
    await waitLive(page);
    expect(new URL(page.url()).origin).toBe(env.inbox.url);
  });

  it('signs out from Settings, and the inbox is gone until signing in again, which lands in the inbox, not Settings', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(path(page)).toBe('/sign-in');
    expect(await page.locator('.conversation').count()).toBe(0);
    expect((await env.browser.context.request.get(`${env.inbox.url}/auth/session`)).status()).toBe(401);
    await fillSignIn(page, OPERATOR.email, OPERATOR.password);
    await waitLive(page);
    expect(path(page)).toBe('/');
    expect(await page.getByRole('heading', { name: 'Settings' }).count()).toBe(0);
  });

  it('comes back to sign-in when the session is ended elsewhere, and stops asking the server', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await startConversation(page, 'Night porter', 'Before signing out elsewhere');
    const thread = new URL(page.url()).pathname;
    const cookie = (await env.browser.context.cookies(env.inbox.url)).find((c) => c.name === 'hatch_session');
    expect(cookie).toBeDefined();
    const apiCalls: string[] = [];
    page.on('request', (r) => new URL(r.url()).pathname.startsWith('/graphql') && apiCalls.push(r.url()));

    // Another window (here: Node) signs the same session out.
    const res = await fetch(`${env.inbox.url}/auth/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${cookie!.name}=${cookie!.value}` },
      body: '{}',
    });
    expect(res.status).toBe(200);

    await page.getByText('Your session has ended.', { exact: false }).waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('next')).toBe(thread);
    // No retry loop against a session that is gone.
    const before = apiCalls.length;
    await page.waitForTimeout(3000);
    expect(apiCalls.slice(before)).toEqual([]);

    await fillSignIn(page, OPERATOR.email, OPERATOR.password);
    await bubble(page, 'Before signing out elsewhere').waitFor();
    expect(new URL(page.url()).pathname).toBe(thread);
    await waitLive(page);
    await send(page, 'After signing in again');
    await bubble(page, 'After signing in again').getByText('saved').waitFor();
  });
});
