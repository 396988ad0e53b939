import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { useColleague } from './support/colleague.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox, row } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const BOB = { email: 'bob.notes@example.com', password: 'bob has a long password', name: 'Bob' };

describe.skipIf(!chromiumAvailable())('internal notes and mentions', () => {
  const env = useInbox();
  const bob = useColleague(env, BOB);

  it('Ana writes a note mentioning Bob from the keyboard; it is never sent; Bob is told, finds it under Mentions, and reading it clears the count', async () => {
    await receiveSms(env.inbox, '+15550959001', 'My order never came');
    const messagesBefore = (await env.inbox.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n;
    const bobPage = await openInbox(bob.browser.context, env.inbox.url);
    const mentionsLink = bobPage.getByRole('link', { name: /^Mentions/ });
    expect(await mentionsLink.textContent()).toBe('Mentions');

    const ana = await openInbox(env.browser.context, env.inbox.url);
    await row(ana, '+15550959001').getByRole('link').focus();
    await ana.keyboard.press('Enter');
    await ana.waitForURL(/\/c\//);
    await ana.getByRole('button', { name: 'Internal note' }).click();
    expect(await ana.getByRole('button', { name: 'Internal note' }).getAttribute('aria-pressed')).toBe('true');
    const box = ana.getByLabel('Internal note', { exact: true });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await ana.keyboard.type('@bo');
    const option = ana.getByRole('option', { name: '@Bob' });
    await option.waitFor();
    expect(await box.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await ana.keyboard.press('Enter');
    expect(await box.inputValue()).toBe('@Bob ');
    await ana.keyboard.type('can you check the courier?');
    await ana.keyboard.press('Enter');

    const note = ana.getByTestId('note').filter({ hasText: 'can you check the courier?' });
    await note.waitFor();
    expect(await note.locator('.note-label').textContent()).toBe('Internal note');
    expect(await note.locator('.mention').textContent()).toBe('@Bob');
    expect(await box.inputValue()).toBe('');
    // Never sent: no message was made, and the thread shows it as a note, not a bubble.
    expect(await bubble(ana, '@Bob can you check the courier?').count()).toBe(0);
    expect((await env.inbox.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]!.n).toBe(messagesBefore);

    // Bob is told: his Mentions link and his tab title count it.
    await expect.poll(() => mentionsLink.textContent()).toBe('Mentions, 1 new');
    await expect.poll(() => bobPage.title()).toMatch(/^\(2\) /);
    mkdirSync(ARTIFACTS, { recursive: true });
    await ana.screenshot({ path: `${ARTIFACTS}notes-thread.png` });
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await ana.setViewportSize(viewport);
      const violations = await axeViolations(ana);
      expect(violations, describeViolations(`a thread with a note at ${viewport.width} px`, violations)).toEqual([]);
      expect(await ana.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    }
    await ana.screenshot({ path: `${ARTIFACTS}notes-thread-phone.png` });

    await mentionsLink.click();
    const item = bobPage.locator('.mention-item').filter({ hasText: 'can you check the courier?' });
    await item.waitFor();
    expect(await item.getAttribute('data-unseen')).toBe('true');
    await bobPage.screenshot({ path: `${ARTIFACTS}notes-mentions.png` });
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await bobPage.setViewportSize(viewport);
      const violations = await axeViolations(bobPage);
      expect(violations, describeViolations(`the Mentions view at ${viewport.width} px`, violations)).toEqual([]);
      expect(await bobPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    }
    await bobPage.setViewportSize({ width: 1280, height: 800 });
    await item.getByRole('link').click();
    await bobPage.waitForURL(/\/c\//);
    await bobPage.getByTestId('note').filter({ hasText: 'can you check the courier?' }).waitFor();
    await expect.poll(() => mentionsLink.textContent()).toBe('Mentions');
    await expect.poll(async () => (await env.inbox.db.query<{ n: number }>('SELECT count(*)::int AS n FROM note_mentions WHERE seen_at IS NULL'))[0]!.n).toBe(0);
  });

  it('keeps the note and says so when the server cannot be reached', async () => {
    await receiveSms(env.inbox, '+15550959002', 'Hello?');
    const ana = await openInbox(env.browser.context, env.inbox.url);
    await row(ana, '+15550959002').getByRole('link').click();
    await ana.waitForURL(/\/c\//);
    await ana.getByRole('button', { name: 'Internal note' }).click();
    const box = ana.getByLabel('Internal note', { exact: true });
    await box.fill('Waiting on the warehouse');
    await ana.route('**/graphql', (route) => (route.request().postData()?.includes('AddNote') ? route.abort() : route.continue()));
    await box.press('Enter');
    await ana.getByText(/The note could not be added/).waitFor();
    expect(await box.inputValue()).toBe('Waiting on the warehouse');
    expect((await env.inbox.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notes WHERE body = 'Waiting on the warehouse'`))[0]!.n).toBe(0);
    await ana.unroute('**/graphql');
    await box.press('Enter');
    await ana.getByTestId('note').filter({ hasText: 'Waiting on the warehouse' }).waitFor();
    expect(await box.inputValue()).toBe('');
    expect((await env.inbox.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notes WHERE body = 'Waiting on the warehouse'`))[0]!.n).toBe(1);
  });
});
