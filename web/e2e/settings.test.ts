import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/chromium.ts';
import { OPERATOR } from './support/inbox-server.ts';
import { useInbox } from './support/setup.ts';
import { openInbox } from './support/pages.ts';

const tokenRow = (page: Page, name: string) => page.locator('.token').filter({ has: page.locator('.token-name', { hasText: name }) });

describe.skipIf(!chromiumAvailable())('settings', () => {
  const env = useInbox();

  const asToken = (secret: string) =>
    env.inbox.gql(`{ viewer { kind name canSend } }`, {}, { authorization: `Bearer ${secret}` });

  it('shows who is signed in, and makes an API token that is shown once, works, and stops working when revoked', async () => {
    await env.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.inbox.url });
    const page = await openInbox(env.browser.context, env.inbox.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    expect(new URL(page.url()).pathname).toBe('/settings');
    expect(await page.getByTestId('signed-in-name').textContent()).toBe(OPERATOR.name);
    await page.getByText(OPERATOR.email).waitFor();

    await page.getByLabel('Token name').fill('Kitchen display');
    await page.getByLabel('Read and send', { exact: false }).check();
    await page.getByRole('button', { name: 'Create token' }).click();

    const made = page.getByTestId('new-token');
    await made.getByRole('heading', { name: 'Token “Kitchen display” created' }).waitFor();
    expect(await made.getByRole('heading').evaluate((el) => el === document.activeElement)).toBe(true);
    await made.getByText('you will not see it again', { exact: false }).waitFor();
    const secret = await made.getByLabel('API token Kitchen display').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await made.getByRole('button', { name: 'Copy' }).click();
    await made.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The token works for a program, with the scope that was chosen.
    const viewer = await asToken(secret);
    expect(viewer.status).toBe(200);
    expect(viewer.body.data.viewer).toEqual({ kind: 'token', name: 'Kitchen display', canSend: true });

    // Shown once: gone when dismissed, and not there after a reload either.
    await made.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    const row = tokenRow(page, 'Kitchen display');
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await row.getByTestId('token-state').textContent()).toBe('Working');
    expect(await row.textContent()).toContain('Read and send');
    expect(await row.textContent()).toContain(`by ${OPERATOR.name}`);

    // Revoking asks first; Cancel leaves it working.
    await row.getByRole('button', { name: 'Revoke Kitchen display' }).click();
    const cancel = row.getByRole('button', { name: 'Cancel' });
    expect(await cancel.evaluate((el) => el === document.activeElement)).toBe(true);
    await cancel.click();
    expect(await row.getByTestId('token-state').textContent()).toBe('Working');
    expect((await asToken(secret)).status).toBe(200);

    await row.getByRole('button', { name: 'Revoke Kitchen display' }).click();
    await row.getByRole('button', { name: 'Revoke token' }).click();
    await row.getByTestId('token-state').getByText('Revoked').waitFor();
    const refused = await asToken(secret);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('shows a name already in use beside the name', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/settings');
    for (let i = 0; i < 2; i++) {
      await page.getByLabel('Token name').fill('Night audit');
      await page.getByRole('button', { name: 'Create token' }).click();
      if (i === 0) await page.getByRole('button', { name: 'I have copied it' }).click();
    }
    const name = page.getByLabel('Token name');
    await page.getByText('already exists', { exact: false }).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await tokenRow(page, 'Night audit').count()).toBe(1);
  });

  it('works from the keyboard alone', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim());
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('New message');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Mentions');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Contacts');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Settings');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();

    await page.getByLabel('Token name').focus();
    await page.keyboard.type('Keyboard only');
    await page.keyboard.press('Tab'); // the chosen access: Read
    await page.keyboard.press('ArrowDown'); // Read and send
    expect(await page.getByLabel('Read and send', { exact: false }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Create token');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Token “Keyboard only” created' }).waitFor();
    expect(await focused()).toBe('Token “Keyboard only” created');
    for (const expected of ['API token Keyboard only', 'Copy', 'I have copied it']) {
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(expected);
    }
    await page.keyboard.press('Enter');

    const row = tokenRow(page, 'Keyboard only');
    await row.getByRole('button', { name: 'Revoke Keyboard only' }).focus();
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('Cancel');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Revoke token');
    await page.keyboard.press('Enter');
    await row.getByTestId('token-state').getByText('Revoked').waitFor();
    // Focus stays on the token it acted on rather than falling back to the top of the page.
    expect(await focused()).toBe('Keyboard only');
  });
});
