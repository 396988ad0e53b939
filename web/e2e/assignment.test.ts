import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { useColleague } from './support/colleague.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox, row, send } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const BOB = { email: 'bob@example.com', password: 'bob has a long password', name: 'Bob' };

describe.skipIf(!chromiumAvailable())('two operators sharing out the conversations', () => {
  const env = useInbox();
  const bob = useColleague(env, BOB);

  it('Ana gives a conversation to Bob; it shows under his Mine at once, and back under Unassigned when he lets it go', async () => {
    await receiveSms(env.inbox, '+15550909001', 'Can someone call me back?');
    const bobPage = await openInbox(bob.browser.context, env.inbox.url);
    await bobPage.getByRole('group', { name: 'Whose conversations' }).getByRole('button', { name: 'Mine' }).click();
    await bobPage.getByText('No open conversations.').waitFor();

    const ana = await openInbox(env.browser.context, env.inbox.url);
    await row(ana, '+15550909001').getByRole('link').click();
    const select = ana.getByLabel('Assigned to');
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['Nobody', 'Ana (me)', 'Bob']);
    await select.selectOption({ label: 'Bob' });

    // Bob's Mine list gains it live, marked as his.
    const bobRow = bobPage.locator('.conversation', { hasText: 'Can someone call me back?' });
    await bobRow.waitFor({ timeout: 10_000 });
    expect(await bobRow.locator('.tag-assignee').textContent()).toBe('Mine');
    // Ana's row says who has it.
    expect(await ana.locator('.conversation', { hasText: 'Can someone call me back?' }).locator('.tag-assignee').textContent()).toBe('Bob');

    // Ana looks at the unassigned ones: it is not there; Bob lets it go, and it arrives.
    await ana.getByRole('group', { name: 'Whose conversations' }).getByRole('button', { name: 'Unassigned' }).click();
    await expect.poll(() => ana.locator('.conversation', { hasText: 'Can someone call me back?' }).count()).toBe(0);
    await bobRow.getByRole('link').click();
    await bobPage.getByLabel('Assigned to').selectOption({ label: 'Nobody' });
    await ana.locator('.conversation', { hasText: 'Can someone call me back?' }).waitFor({ timeout: 10_000 });
    await bobRow.waitFor({ state: 'detached', timeout: 10_000 });

    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await ana.setViewportSize(viewport);
      const violations = await axeViolations(ana);
      expect(violations, describeViolations(`assignment at ${viewport.width} px`, violations)).toEqual([]);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await ana.setViewportSize({ width: 1280, height: 800 });
    await ana.screenshot({ path: `${ARTIFACTS}assignment.png` });
  });

  it('assigns from the keyboard alone', async () => {
    await receiveSms(env.inbox, '+15550909002', 'Keyboard assignment');
    const ana = await openInbox(env.browser.context, env.inbox.url);
    await row(ana, '+15550909002').getByRole('link').focus();
    await ana.keyboard.press('Enter');
    await ana.waitForURL(/\/c\//);
    const select = ana.getByLabel('Assigned to');
    await select.focus();
    await select.selectOption({ label: 'Ana (me)' });
    await expect.poll(async () => (await env.inbox.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE assignee_id IS NOT NULL AND (participant_a = '+15550909002' OR participant_b = '+15550909002')`))[0]!.n).toBe(1);
  });

  it("names a colleague's reply in the list (\"Bob: …\"), and says \"You:\" only for one's own", async () => {
    await receiveSms(env.inbox, '+15550909003', 'Who is answering?');
    const ana = await openInbox(env.browser.context, env.inbox.url);
    const bobPage = await openInbox(bob.browser.context, env.inbox.url);
    await row(bobPage, '+15550909003').getByRole('link').click();
    await send(bobPage, 'Bob here, on it');
    await bubble(bobPage, 'Bob here, on it').waitFor();
    const preview = () => row(ana, '+15550909003').locator('.conversation-preview').textContent();
    await expect.poll(preview, { timeout: 10_000 }).toBe('Bob: Bob here, on it');
    expect(await row(bobPage, '+15550909003').locator('.conversation-preview').textContent()).toBe('You: Bob here, on it');
    await row(ana, '+15550909003').getByRole('link').click();
    await send(ana, 'Thanks Bob');
    await expect.poll(preview, { timeout: 10_000 }).toBe('You: Thanks Bob');
    await expect.poll(() => row(bobPage, '+15550909003').locator('.conversation-preview').textContent(), { timeout: 10_000 }).toBe('Ana: Thanks Bob');
  });
});
