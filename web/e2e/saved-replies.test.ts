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
const BOB = { email: 'bob.replies@example.com', password: 'bob has a long password', name: 'Bob Stone' };

describe.skipIf(!chromiumAvailable())('saved replies, shared by the team', () => {
  const env = useInbox();
  const bob = useColleague(env, BOB);

  it('Ana saves a reply in Settings from the keyboard; Bob finds it with / and sends it filled in for Dana and himself', async () => {
    await receiveSms(env.inbox, '+15550929001', 'What time do you open?');
    await env.inbox.gql('mutation { updateContact(input: { address: "+15550929001", name: "Dana Scully" }) { errors { code } } }');

    const ana = await openInbox(env.browser.context, env.inbox.url, '/settings');
    const form = ana.getByRole('form', { name: 'New saved reply' });
    await form.getByLabel('Name').focus();
    await ana.keyboard.type('Opening hours');
    await ana.keyboard.press('Tab');
    await ana.keyboard.type('Hi {{contact.first_name | there}}, we open at 9. {{operator.first_name}}');
    // A typo in a variable is named, and nothing is saved.
    await ana.keyboard.press('End');
    await ana.keyboard.type(' {{contact.nmae}}');
    await form.getByRole('button', { name: 'Save reply' }).press('Enter');
    await form.getByText(/\{\{contact\.nmae\}\} is not a variable/).waitFor();
    expect(await ana.getByRole('list', { name: 'Saved replies' }).count()).toBe(0);
    await form.getByLabel('Text').fill('Hi {{contact.first_name | there}}, we open at 9. {{operator.first_name}}');
    await form.getByRole('button', { name: 'Save reply' }).press('Enter');
    const saved = ana.getByRole('list', { name: 'Saved replies' }).getByRole('listitem');
    await expect.poll(() => saved.count()).toBe(1);
    expect(await form.getByLabel('Name').inputValue()).toBe('');
    // The same name in another case is taken.
    await form.getByLabel('Name').fill('opening HOURS');
    await form.getByLabel('Text').fill('Something else');
    await form.getByRole('button', { name: 'Save reply' }).click();
    await form.getByText('There is already a saved reply called "opening HOURS".').waitFor();

    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await ana.setViewportSize(viewport);
      const violations = await axeViolations(ana);
      expect(violations, describeViolations(`saved replies in settings at ${viewport.width} px`, violations)).toEqual([]);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await ana.setViewportSize({ width: 1280, height: 800 });
    await ana.getByRole('heading', { name: 'Saved replies' }).scrollIntoViewIfNeeded();
    await ana.screenshot({ path: `${ARTIFACTS}saved-replies-settings.png` });

    // Bob, in Dana's thread: / and part of the name, arrows, Enter.
    const page = await openInbox(bob.browser.context, env.inbox.url);
    await row(page, 'Dana Scully').getByRole('link').click();
    const box = page.getByLabel('Message', { exact: true });
    await box.focus();
    await page.keyboard.type('/hou');
    const picker = page.getByRole('listbox', { name: 'Saved replies' });
    await picker.getByRole('option', { name: /Opening hours/ }).waitFor();
    expect(await box.getAttribute('aria-activedescendant')).toBe(await picker.getByRole('option').first().getAttribute('id'));
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      await page.setViewportSize(viewport);
      const violations = await axeViolations(page);
      expect(violations, describeViolations(`the / picker at ${viewport.width} px`, violations)).toEqual([]);
    }
    await page.screenshot({ path: `${ARTIFACTS}saved-replies-picker.png` });
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('Hi Dana, we open at 9. Bob');
    // Nothing went yet: the operator reads it first. Enter again sends it.
    expect(await bubble(page, 'Hi Dana, we open at 9. Bob').count()).toBe(0);
    await page.keyboard.press('Enter');
    await bubble(page, 'Hi Dana, we open at 9. Bob').waitFor();
    const [sent] = await env.inbox.db.query<{ body: string; sent_by_name: string }>(`SELECT body, sent_by_name FROM messages WHERE "to" = '+15550929001' AND direction = 'OUTBOUND'`);
    expect(sent).toEqual({ body: 'Hi Dana, we open at 9. Bob', sent_by_name: 'Bob Stone' });
  });

  it('closes with Esc without leaving the message box, finds nothing politely, and a slash inside a word is just text', async () => {
    await receiveSms(env.inbox, '+15550929002', 'Hello?');
    const page = await openInbox(env.browser.context, env.inbox.url);
    await row(page, '+15550929002').getByRole('link').click();
    const box = page.getByLabel('Message', { exact: true });
    await box.focus();
    await page.keyboard.type('/zzz');
    const picker = page.getByRole('listbox', { name: 'Saved replies' });
    await picker.getByText('No saved reply matches “zzz”. Save replies in Settings.').waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await box.inputValue()).toBe('/zzz');
    await box.fill('');
    await page.keyboard.type('either and/or');
    expect(await picker.count()).toBe(0);
  });
});
