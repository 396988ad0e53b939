import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { testConfig } from '../../server/testing/config.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { OUR_NUMBER, receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { openInbox } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** The server's clock: the real one, moved forward by the test. */
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);
const pad = (n: number) => String(n).padStart(2, '0');
/** What <input type="datetime-local"> takes for a moment, in the browser's zone (the machine's). */
const local = (at: Date) => `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;

describe.skipIf(!chromiumAvailable())('sending later, and quiet hours, in the composer', () => {
  const env = useInbox({ clock, config: testConfig({ SMS_QUIET_HOURS: '21:00-08:00', HATCH_TIME_ZONE: 'UTC' }), schedulerTimes: { everyMs: 3_600_000 } });

  it('schedules a reply from the keyboard at 360 px, shows it in both windows, edits it, and sends it when due', async () => {
    ahead = 0;
    // A customer in San Francisco writes at a time that is daytime there.
    const number = '+14155550199';
    const now = new Date();
    const sfHour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: '2-digit', hourCycle: 'h23' }).format(now));
    // Move the server's clock to noon in San Francisco, so quiet hours stay out of this case.
    ahead = (((12 - sfHour + 24) % 24) * 60 - now.getMinutes()) * 60_000;
    await receiveSms(env.inbox, number, 'Can you text me tomorrow morning?');
    const id = conversationId(OUR_NUMBER, number);
    const page = await openInbox(env.browser.context, env.inbox.url, `/c/${id}`, { width: 360, height: 740 });
    const other = await openInbox(env.browser.context, env.inbox.url, `/c/${id}`, { width: 1280, height: 800 });

    const box = page.getByRole('textbox', { name: 'Message' });
    await box.focus();
    await page.keyboard.type('Good morning! Here is the quote.');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Send later');
    await page.keyboard.press('Enter');
    const when = page.getByLabel('Send at');
    const due = new Date(clock().getTime() + 2 * 3_600_000);
    await when.fill(local(due));
    await page.getByRole('group', { name: 'Send later' }).getByRole('button', { name: 'Schedule' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /^Scheduled for / }).waitFor();
    expect(await box.inputValue()).toBe('');

    // In the thread, in this window and the other, live.
    for (const p of [page, other]) {
      const item = p.getByRole('region', { name: 'Scheduled messages' }).getByRole('listitem');
      await item.getByText('Good morning! Here is the quote.').waitFor();
      await expect.poll(() => item.locator('.scheduled-when').textContent()).toMatch(/^Scheduled for /);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}scheduled-phone.png` });
    const violations = await axeViolations(page);
    expect(violations, describeViolations('a scheduled message at 360 px', violations)).toEqual([]);

    // Edited from the keyboard; the other window follows.
    const scheduled = page.getByRole('region', { name: 'Scheduled messages' });
    await scheduled.getByRole('button', { name: 'Edit' }).focus();
    await page.keyboard.press('Enter');
    const text = scheduled.getByRole('textbox', { name: 'Message' });
    await text.fill('Good morning! The quote is attached.');
    await scheduled.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await other.getByText('Good morning! The quote is attached.').waitFor();
    const editing = await axeViolations(page);
    expect(editing, describeViolations('the scheduled list after editing', editing)).toEqual([]);

    // Due: it is sent, once, and leaves the scheduled list for the thread.
    ahead += 2 * 3_600_000 + 60_000;
    expect(await env.inbox.app.sendDue()).toBe(1);
    await page.locator('.bubble').filter({ hasText: 'Good morning! The quote is attached.' }).waitFor();
    await page.getByRole('region', { name: 'Scheduled messages' }).waitFor({ state: 'detached' });
    await other.getByRole('region', { name: 'Scheduled messages' }).waitFor({ state: 'detached' });
    await other.close();
  });

  it('refuses an SMS in the recipient\'s quiet hours and offers the time it may go', async () => {
    // 23:00 in New York.
    const now = new Date();
    const nyHour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', hourCycle: 'h23' }).format(now));
    ahead = (((23 - nyHour + 24) % 24) * 60 - now.getMinutes()) * 60_000;
    const number = '+12125550199';
    const id = conversationId(OUR_NUMBER, number);
    const page = await openInbox(env.browser.context, env.inbox.url, '/new', { width: 360, height: 740 });
    await page.getByRole('combobox', { name: 'To' }).fill(number);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Our sale starts tomorrow');
    await box.focus();
    await page.keyboard.press('Enter');
    await page.getByText(/It is quiet hours for \+12125550199 \(America\/New_York\)/).waitFor();
    const offer = page.getByRole('button', { name: /^Send at / });
    await offer.focus();
    const violations = await axeViolations(page);
    expect(violations, describeViolations('the quiet-hours offer at 360 px', violations)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}quiet-hours-phone.png` });
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /^Scheduled for / }).waitFor();
    const [row] = await env.inbox.db.query<{ send_at: Date }>('SELECT send_at FROM scheduled_messages WHERE conversation_id = $1', [id]);
    // 08:00 in New York.
    expect(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(row!.send_at))).toBe('08:00');
  });
});
