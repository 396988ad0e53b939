import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { useColleague } from './support/colleague.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { openInbox, row } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const BOB = { email: 'bob.reader@example.com', password: 'bob has a long password', name: 'Bob' };

describe.skipIf(!chromiumAvailable())('read state is each operator’s own', () => {
  const env = useInbox();
  const bob = useColleague(env, BOB);

  /** Bob's read of a conversation, as the database has it: once it is there, Ana's window has been told too. */
  const bobHasRead = async (contact: string) => {
    await expect
      .poll(async () => {
        const [r] = await env.inbox.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM conversation_reads r JOIN operators o ON o.id = r.reader_id JOIN conversations c ON c.id = r.conversation_id
            WHERE o.email = $1 AND r.read_count = c.inbound_count AND (c.participant_a = $2 OR c.participant_b = $2)`,
          [BOB.email, contact],
        );
        return r!.n;
      })
      .toBe(1);
  };

  it("Bob opening a thread Ana has not read leaves Ana's badge and title count", async () => {
    await receiveSms(env.inbox, '+15550919001', 'Is anyone there?');
    const ana = await openInbox(env.browser.context, env.inbox.url);
    const badge = row(ana, '+15550919001').getByTestId('unread-badge');
    await expect.poll(() => badge.getAttribute('aria-label')).toBe('1 unread');
    await expect.poll(() => ana.title()).toMatch(/^\(1\) /);

    const bobPage = await openInbox(bob.browser.context, env.inbox.url);
    await row(bobPage, '+15550919001').getByRole('link').click();
    await bobPage.waitForURL(/\/c\//);
    await bobHasRead('+15550919001');
    // The change reached Ana's window (its row moved to the read copy's version) and her count held.
    await ana.waitForTimeout(1000);
    expect(await badge.getAttribute('aria-label')).toBe('1 unread');
    expect(await ana.title()).toMatch(/^\(1\) /);
    // And after a reload, from the server's answer alone.
    await ana.reload();
    await expect.poll(() => row(ana, '+15550919001').getByTestId('unread-badge').getAttribute('aria-label')).toBe('1 unread');
    await bobPage.goBack();
    expect(await row(bobPage, '+15550919001').getByTestId('unread-badge').count()).toBe(0);

    mkdirSync(ARTIFACTS, { recursive: true });
    await ana.screenshot({ path: `${ARTIFACTS}read-state-ana.png` });
    await bobPage.screenshot({ path: `${ARTIFACTS}read-state-bob.png` });
  });

  it("Ana marks unread from the keyboard at 360 px while Bob has the thread open: her badge comes back and stays", async () => {
    await receiveSms(env.inbox, '+15550919002', 'Mark this one');
    const bobPage = await openInbox(bob.browser.context, env.inbox.url);
    await row(bobPage, '+15550919002').getByRole('link').click();
    await bobPage.waitForURL(/\/c\//);
    await bobHasRead('+15550919002');

    const ana = await openInbox(env.browser.context, env.inbox.url, '/', { width: 360, height: 740 });
    await row(ana, '+15550919002').getByRole('link').focus();
    await ana.keyboard.press('Enter');
    await ana.waitForURL(/\/c\//);
    // On the thread (as the keyboard tests reach it), u: Mark unread.
    await ana.locator('.message-scroll').focus();
    await ana.keyboard.press('u');
    const badge = row(ana, '+15550919002').getByTestId('unread-badge');
    await expect.poll(() => badge.getAttribute('aria-label')).toBe('1 unread');
    // Bob's open thread hears of the change and reads for Bob only: Ana's badge does not go.
    await ana.waitForTimeout(1500);
    expect(await badge.getAttribute('aria-label')).toBe('1 unread');
    // The first test's conversation is still unread for Ana, so her count is two.
    await expect.poll(() => ana.title()).toMatch(/^\(2\) /);
    await bobPage.goBack();
    expect(await row(bobPage, '+15550919002').getByTestId('unread-badge').count()).toBe(0);
  });
});
