import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable, launchBrowser } from './support/chromium.ts';
import { useInbox } from './support/setup.ts';
import { openInbox, waitLive } from './support/pages.ts';

const CARL = { email: 'carl.joins@example.com', password: 'carl has a long password', name: 'Carl' };

// An admin runs the team from Settings: invites a colleague, who joins in a browser of their own,
// disables them when they leave (signed out at once) and enables them again; the audit log says so.
describe.skipIf(!chromiumAvailable())('the team, run from Settings', () => {
  const env = useInbox();

  it('invites a colleague from the keyboard; they join with the link, once, and land in the inbox', async () => {
    const ana = await openInbox(env.browser.context, env.inbox.url, '/settings', { width: 360, height: 740 });
    await ana.getByRole('heading', { name: 'Invite a colleague' }).waitFor();
    await ana.getByRole('radio', { name: /Agent/ }).check();
    await ana.getByRole('button', { name: 'Create invitation link' }).focus();
    await ana.keyboard.press('Enter');
    const field = ana.getByRole('textbox', { name: 'Invitation link' });
    await field.waitFor();
    const link = await field.inputValue();
    expect(link).toMatch(new RegExp(`^${env.inbox.url}/join#[A-Za-z0-9_-]{43}$`));
    await ana.getByTestId('invitation').first().waitFor();
    const violations = await axeViolations(ana);
    expect(violations, describeViolations('settings with an invitation link at 360 px', violations)).toEqual([]);
    expect(await ana.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const carl = await launchBrowser();
    try {
      const page = await carl.context.newPage();
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(link);
      await page.getByRole('heading', { name: 'Join the team on Hatch' }).waitFor();
      const joinViolations = await axeViolations(page);
      expect(joinViolations, describeViolations('the join page at 360 px', joinViolations)).toEqual([]);
      await page.getByLabel('Name', { exact: true }).fill(CARL.name);
      await page.getByLabel('Email', { exact: true }).fill(CARL.email);
      await page.getByLabel('Password', { exact: true }).fill(CARL.password);
      await page.keyboard.press('Enter');
      await waitLive(page);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(new URL(page.url()).hash).toBe('');

      // The link worked once: opened again (signed out), it says so and offers sign-in.
      const other = await launchBrowser();
      const again = await other.context.newPage();
      await again.goto(link);
      await again.getByLabel('Name', { exact: true }).fill('Mallory');
      await again.getByLabel('Email', { exact: true }).fill('mallory@example.com');
      await again.getByLabel('Password', { exact: true }).fill('a long enough password');
      await again.getByRole('button', { name: 'Join the team' }).click();
      await again.getByRole('heading', { name: 'This invitation does not work' }).waitFor();
      await again.getByRole('link', { name: 'Sign in' }).waitFor();
      await other.close();
    } finally {
      await carl.close();
    }
    // No longer pending.
    await ana.reload();
    await ana.getByRole('heading', { name: 'Invite a colleague' }).waitFor();
    await ana.getByLabel('Carl', { exact: true }).waitFor();
    expect(await ana.getByTestId('invitation').count()).toBe(0);
  });

  it('disables a colleague, who is signed out at once and told why at sign-in; enables them again; the audit log says who did it', async () => {
    const carl = await launchBrowser();
    try {
      const res = await carl.context.request.post(new URL('/auth/sign-in', env.inbox.url).toString(), { data: { email: CARL.email, password: CARL.password } });
      expect(res.ok()).toBe(true);
      const carlPage = await openInbox(carl.context, env.inbox.url);

      const ana = await openInbox(env.browser.context, env.inbox.url, '/settings');
      await ana.getByRole('button', { name: 'Disable Carl' }).click();
      const confirm = ana.getByRole('group', { name: 'Disable Carl?' });
      await confirm.waitFor();
      // The question takes the focus, on Cancel: a stray Enter withdraws it rather than disabling.
      expect(await ana.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
      const violations = await axeViolations(ana);
      expect(violations, describeViolations('settings asking to disable a colleague', violations)).toEqual([]);
      await confirm.getByRole('button', { name: 'Disable Carl' }).click();
      await ana.getByRole('status').filter({ hasText: 'Carl is disabled' }).waitFor();
      await ana.getByRole('button', { name: 'Enable Carl' }).waitFor();

      // Carl's open inbox is signed out at once, and signing in says why.
      await carlPage.getByRole('heading', { name: /Sign in/ }).waitFor({ timeout: 10_000 });
      await carlPage.getByLabel('Email', { exact: true }).fill(CARL.email);
      await carlPage.getByLabel('Password', { exact: true }).fill(CARL.password);
      await carlPage.keyboard.press('Enter');
      await carlPage.getByText('This account has been disabled').waitFor();

      await ana.getByRole('button', { name: 'Enable Carl' }).click();
      await ana.getByRole('status').filter({ hasText: 'Carl can sign in again.' }).waitFor();
      await carlPage.getByRole('button', { name: 'Sign in' }).click();
      await waitLive(carlPage);

      // The audit log, newest first, in words.
      await ana.reload();
      const entries = ana.getByTestId('audit-entry');
      await entries.first().waitFor();
      const text = await entries.allTextContents();
      expect(text[0]).toContain('Carl signed in');
      expect(text.some((t) => t.includes('Ana enabled Carl again'))).toBe(true);
      expect(text.some((t) => t.includes('Ana disabled Carl'))).toBe(true);
      expect(text.some((t) => t.includes('Carl joined the team as an agent'))).toBe(true);
      expect(text.some((t) => t.includes('Ana invited someone as an agent'))).toBe(true);
    } finally {
      await carl.close();
    }
  });
});
