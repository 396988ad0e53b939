import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations, isSerious, watchCsp } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { OPERATOR } from './support/inbox-server.ts';
import { useInbox } from './support/setup.ts';
import { bubble, ensureSignedIn, row, signOut, waitLive } from './support/pages.ts';

const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;

describe.skipIf(!chromiumAvailable())('accessibility (axe-core, WCAG 2.1 A and AA) and the page policy', () => {
  const env = useInbox();
  const url = (path: string) => new URL(path, env.inbox.url).toString();

  /** Every serious or critical violation, per view, and every CSP report, printed before failing. */
  const found: string[] = [];
  const check = async (page: Page, view: string) => {
    const all = await axeViolations(page);
    const serious = all.filter(isSerious);
    if (serious.length) found.push(describeViolations(view, serious));
    // Lesser findings do not fail the test, but are worth seeing.
    const lesser = all.filter((v) => !isSerious(v));
    if (lesser.length) console.log(describeViolations(`${view} (not serious)`, lesser));
  };

  const seed = async () => {
    const send = (input: Record<string, string>) => env.inbox.gql(`mutation ($input: SendMessageInput!) { sendMessage(input: $input) { errors { code } } }`, { input });
    await send({ to: 'Front desk', body: 'Guest in 12 asked for extra towels.' });
    await receiveSms(env.inbox, '+15557770101', 'Hi! Is early check-in possible tomorrow?');
    await send({ to: '+15557770101', body: 'Yes: your room will be ready from 11:00.' });
    await receiveSms(env.inbox, '+15557770142', 'Can I bring my dog?');
    await env.inbox.token('Booking system', 'read');
  };

  for (const [size, viewport] of Object.entries(WIDTHS)) {
    it(`passes on the inbox, settings, sign-in and set-up pages (${size})`, async () => {
      if (size === 'desktop') await seed();
      found.length = 0;
      const page = await env.browser.context.newPage();
      await page.setViewportSize(viewport);
      const csp = watchCsp(page);

      await ensureSignedIn(env.browser.context, env.inbox.url);
      await page.goto(url('/'));
      await waitLive(page);
      await row(page, '+15557770142').waitFor();
      await check(page, `${size} list`);

      await row(page, '+15557770101').getByRole('link').click();
      await bubble(page, 'Yes: your room will be ready from 11:00.').getByText('delivered').waitFor();
      await check(page, `${size} thread`);

      await page.getByRole('link', { name: 'Settings' }).click();
      await page.locator('.token').first().waitFor();
      await check(page, `${size} settings`);
      await page.getByLabel('Token name').fill(`Display ${size}`);
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByTestId('new-token').waitFor();
      await page.locator('.token').first().getByRole('button', { name: /^Revoke/ }).click();
      await check(page, `${size} settings, new token and a revoke to confirm`);

      await signOut(env.browser.context, env.inbox.url);
      await page.goto(url('/sign-in'));
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await check(page, `${size} sign-in`);
      await page.getByLabel('Email', { exact: true }).fill(OPERATOR.email);
      await page.getByLabel('Password', { exact: true }).fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('do not match').waitFor();
      await check(page, `${size} sign-in, wrong password`);

      await page.goto(url('/setup#not-a-real-link'));
      await page.getByRole('heading', { name: 'Set up Hatch' }).waitFor();
      await check(page, `${size} set-up`);
      await page.goto(url('/setup'));
      await page.getByRole('heading', { name: 'This set-up link does not work' }).waitFor();
      await check(page, `${size} set-up without a link`);

      if (found.length) console.log(found.join('\n'));
      if (csp.length) console.log(csp.join('\n'));
      expect(found).toEqual([]);
      expect(csp).toEqual([]);
    });
  }

  it('passes in the dark colour scheme too', async () => {
    found.length = 0;
    const page = await env.browser.context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await ensureSignedIn(env.browser.context, env.inbox.url);
    await page.goto(url('/'));
    await waitLive(page);
    await row(page, '+15557770101').getByRole('link').click();
    await bubble(page, 'Yes: your room will be ready from 11:00.').waitFor();
    await check(page, 'dark thread');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('.token').first().waitFor();
    await check(page, 'dark settings');
    await signOut(env.browser.context, env.inbox.url);
    await page.goto(url('/sign-in'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await check(page, 'dark sign-in');
    if (found.length) console.log(found.join('\n'));
    expect(found).toEqual([]);
  });
});
