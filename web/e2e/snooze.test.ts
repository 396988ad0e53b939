import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { useColleague } from './support/colleague.ts';
import { OUR_NUMBER, receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { openInbox, row } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const BOB = { email: 'bob.snooze@example.com', password: 'bob has a long password', name: 'Bob' };
const SNOOZE = 'mutation($id: ID!, $until: DateTime) { snoozeConversation(id: $id, until: $until) { errors { code } } }';

describe.skipIf(!chromiumAvailable())('snoozing a conversation until later', () => {
  // Snoozes that run out are looked for every 200 ms here (every 5 s in a real server).
  const env = useInbox({ snoozeCheckMs: 200 });
  const bob = useColleague(env, BOB);

  it('Ana snoozes from the keyboard: it leaves Open in both windows, and waits under Snoozed with its time', async () => {
    await receiveSms(env.inbox, '+15550939001', 'Call me on Monday');
    const bobPage = await openInbox(bob.browser.context, env.inbox.url);
    await row(bobPage, '+15550939001').waitFor();

    const ana = await openInbox(env.browser.context, env.inbox.url);
    await row(ana, '+15550939001').getByRole('link').focus();
    await ana.keyboard.press('Enter');
    await ana.waitForURL(/\/c\//);
    const snooze = ana.getByLabel('Snooze');
    await snooze.focus();
    await snooze.selectOption({ label: 'Until Monday, 9:00' });
    await expect.poll(() => snooze.locator('option:checked').textContent()).toMatch(/^Until /);

    // Gone from Open, in Ana's list and in Bob's, live.
    await row(bobPage, '+15550939001').waitFor({ state: 'detached', timeout: 10_000 });
    // The list beside the thread: gone from Open there too.
    await row(ana, '+15550939001').waitFor({ state: 'detached', timeout: 10_000 });
    // At phone width: back to the list, and under Snoozed, with its time.
    await ana.setViewportSize({ width: 360, height: 740 });
    await ana.getByRole('button', { name: 'Back to conversations' }).click();
    await ana.getByRole('group', { name: 'Show conversations' }).getByRole('button', { name: 'Snoozed' }).click();
    const marker = row(ana, '+15550939001').locator('.tag-snooze');
    await expect.poll(() => marker.textContent()).toMatch(/^Snoozed until Mon/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await ana.screenshot({ path: `${ARTIFACTS}snooze-list-phone.png` });
    for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 800 }]) {
      await ana.setViewportSize(viewport);
      const violations = await axeViolations(ana);
      expect(violations, describeViolations(`the snoozed list at ${viewport.width} px`, violations)).toEqual([]);
      expect(await ana.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    }
    // The thread with its snooze, at phone width too.
    await row(ana, '+15550939001').getByRole('link').click();
    await ana.setViewportSize({ width: 360, height: 740 });
    const violations = await axeViolations(ana);
    expect(violations, describeViolations('a snoozed thread at 360 px', violations)).toEqual([]);
    await ana.screenshot({ path: `${ARTIFACTS}snooze-thread-phone.png` });
  });

  it('comes back on top of Open in every window when its time comes, marked, once', async () => {
    await receiveSms(env.inbox, '+15550939002', 'Remind me in a moment');
    await receiveSms(env.inbox, '+15550939003', 'A newer message');
    const id = conversationId('+15550939002', OUR_NUMBER);
    const ana = await openInbox(env.browser.context, env.inbox.url);
    const bobPage = await openInbox(bob.browser.context, env.inbox.url);
    expect((await env.inbox.gql(SNOOZE, { id, until: new Date(Date.now() + 2000).toISOString() })).body.data.snoozeConversation.errors).toEqual([]);
    await row(ana, '+15550939002').waitFor({ state: 'detached', timeout: 10_000 });

    for (const page of [ana, bobPage]) {
      await expect.poll(() => page.locator('.conversation').first().getAttribute('data-contact'), { timeout: 8000 }).toBe('+15550939002');
      expect(await row(page, '+15550939002').locator('.tag-snooze').textContent()).toMatch(/^Snoozed until /);
    }
    await ana.screenshot({ path: `${ARTIFACTS}snooze-woken.png` });
    const [woken] = await env.inbox.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversation_changes WHERE conversation_id = $1 AND "row"->>'snooze_woke_at' IS NOT NULL`, [id]);
    expect(woken!.n).toBe(1);
  });
});
