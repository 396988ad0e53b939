import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { useColleague } from './support/colleague.ts';
import { useInbox } from './support/setup.ts';
import { openInbox } from './support/pages.ts';

const BOB = { email: 'bob.roles@example.com', password: 'bob has a long password', name: 'Bob' };

describe.skipIf(!chromiumAvailable())('admins and agents', () => {
  const env = useInbox();
  // A colleague added after the first operator: an agent.
  const bob = useColleague(env, BOB);

  it('shows an agent neither the team nor API tokens; an admin makes them an admin from the keyboard, and they see both', async () => {
    const bobPage = await openInbox(bob.browser.context, env.inbox.url, '/settings');
    await bobPage.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
    expect(await bobPage.getByRole('heading', { name: 'API tokens' }).count()).toBe(0);
    expect(await bobPage.getByRole('heading', { name: 'Team' }).count()).toBe(0);
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await bobPage.setViewportSize(viewport);
      const violations = await axeViolations(bobPage);
      expect(violations, describeViolations(`an agent's settings at ${viewport.width} px`, violations)).toEqual([]);
    }

    const ana = await openInbox(env.browser.context, env.inbox.url, '/settings');
    const role = ana.getByLabel('Bob', { exact: true });
    await role.waitFor();
    expect(await ana.getByLabel('Ana (you)', { exact: true }).inputValue()).toBe('ADMIN');
    expect(await role.inputValue()).toBe('AGENT');
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await ana.setViewportSize(viewport);
      const violations = await axeViolations(ana);
      expect(violations, describeViolations(`an admin's settings with the team at ${viewport.width} px`, violations)).toEqual([]);
      expect(await ana.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    }
    await role.focus();
    await role.selectOption('ADMIN');
    await ana.getByRole('status').filter({ hasText: 'Bob is now an admin.' }).waitFor();
    await expect.poll(async () => (await env.inbox.db.query<{ role: string }>(`SELECT role FROM operators WHERE email = $1`, [BOB.email]))[0]!.role).toBe('ADMIN');

    await bobPage.reload();
    await bobPage.getByRole('heading', { name: 'API tokens' }).waitFor();
    await bobPage.getByRole('heading', { name: 'Team' }).waitFor();

    // The only other admin cannot be left alone: Ana steps down, then Bob cannot.
    await ana.getByLabel('Ana (you)', { exact: true }).selectOption('AGENT');
    await ana.getByRole('status').filter({ hasText: 'Ana is now an agent.' }).waitFor();
    await bobPage.reload();
    await bobPage.getByLabel('Bob (you)', { exact: true }).selectOption('AGENT');
    await bobPage.getByRole('alert').filter({ hasText: 'at least one admin' }).waitFor();
    await expect.poll(() => bobPage.getByLabel('Bob (you)', { exact: true }).inputValue()).toBe('ADMIN');
  });
});
