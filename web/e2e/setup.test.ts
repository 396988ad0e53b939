import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { useInbox } from './support/setup.ts';
import { signOut, waitLive } from './support/pages.ts';

// A server with no operator yet prints a one-time set-up link. Its own server and browser: the
// other files' servers have an operator, and so no working link.
describe.skipIf(!chromiumAvailable())('the set-up link', () => {
  const env = useInbox({}, { operator: false });

  it('creates the first operator, keeping the link through a mistake, and signs them in', async () => {
    expect(env.inbox.app.setupPath).toMatch(/^\/setup#.+/);
    const page = await env.browser.context.newPage();
    await page.goto(new URL(env.inbox.app.setupPath!, env.inbox.url).toString());
    await page.getByRole('heading', { name: 'Set up Hatch' }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Bea');
    await page.getByLabel('Email', { exact: true }).fill('bea@example.com');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create operator' }).click();
    const password = page.getByLabel('Password', { exact: true });
    await page.getByText('at least 10 characters', { exact: false }).first().waitFor();
    await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
    expect(await password.evaluate((el) => el === document.activeElement)).toBe(true);

    await password.fill('a much longer password');
    await page.getByRole('button', { name: 'Create operator' }).click();
    await waitLive(page);
    // In the inbox, and the secret is out of the address bar.
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(await page.getByTestId('signed-in-name').textContent()).toBe('Bea');
  });

  it('says clearly when the link has been used, with a way to sign in', async () => {
    await signOut(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    await page.goto(new URL(env.inbox.app.setupPath!, env.inbox.url).toString());
    await page.getByLabel('Name', { exact: true }).fill('Cy');
    await page.getByLabel('Email', { exact: true }).fill('cy@example.com');
    await page.getByLabel('Password', { exact: true }).fill('another long password');
    await page.getByRole('button', { name: 'Create operator' }).click();
    await page.getByRole('heading', { name: 'This set-up link does not work' }).waitFor();
    await page.getByRole('alert').getByText('used or replaced', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
