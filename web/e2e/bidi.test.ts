import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { openInbox, row } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const RLO = '\u202E';

/**
 * Whether `word` is laid out left to right inside `el`, as it is written: its first letter left of
 * its last. The text the page holds can be right while the screen shows it backwards, so this asks
 * where the letters landed.
 */
function readsLeftToRight(el: Locator, word: string): Promise<boolean> {
  return el.evaluate((root, needle) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(needle);
      if (at < 0) continue;
      const x = (offset: number) => {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        return range.getBoundingClientRect().left;
      };
      return x(at) < x(at + needle.length - 1);
    }
    throw new Error(`no text node holds ${needle}`);
  }, word);
}

describe.skipIf(!chromiumAvailable())('a name or message that tries to turn text around', () => {
  const env = useInbox();

  it('shows "\\u202Eexe.fdp" as exe.fdp, in the list, the header, the bubble and the title', async () => {
    await receiveSms(env.inbox, '+15550808080', `Your file: ${RLO}gnp.exe`);
    const named = await env.inbox.gql(`mutation($name: String!) { updateContact(input: { address: "+15550808080", name: $name }) { errors { code } } }`, { name: `${RLO}exe.fdp` });
    expect(named.body.data.updateContact.errors).toEqual([]);
    const page = await openInbox(env.browser.context, env.inbox.url);
    const item = page.locator('.conversation', { hasText: 'exe.fdp' });
    await item.waitFor();
    const listText = await item.innerText();
    expect(listText).toContain('exe.fdp');
    expect(listText).toContain('gnp.exe');
    expect(listText).not.toContain(RLO);
    await item.getByRole('link').click();
    const header = page.locator('.thread-title');
    await header.waitFor();
    expect(await header.innerText()).toBe('exe.fdp');
    const body = page.getByTestId('message-body').first();
    expect(await body.innerText()).toBe('Your file: gnp.exe');
    const shown = await page.evaluate(() => document.body.innerText + document.title);
    expect(shown).not.toContain(RLO);
    expect(await page.title()).toContain('exe.fdp');
    const violations = await axeViolations(page);
    expect(violations, describeViolations('a thread with a reversed name', violations)).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}bidi.png` });
  });
  it('shows a stored-only conversation named "\\u202Etxt.fdp" as txt.fdp, and a body with "\\u202Egnp.exe" as gnp.exe', async () => {
    // Not the first test's name: that is a contact with a number now, and texts it.
    const to = `${RLO}txt.fdp`;
    const sent = await env.inbox.gql(`mutation ($input: SendMessageInput!) { sendMessage(input: $input) { message { channel } errors { code } } }`, {
      input: { to, body: `Here it is: ${RLO}gnp.exe` },
    });
    expect(sent.body.data.sendMessage).toEqual({ message: { channel: 'INTERNAL' }, errors: [] });
    const page = await openInbox(env.browser.context, env.inbox.url);
    // By the address stored, controls and all: the row is found by what the server holds.
    const item = row(page, to);
    await item.waitFor();
    const listText = await item.innerText();
    expect(listText).toContain('txt.fdp');
    expect(listText).toContain('gnp.exe');
    expect(listText).not.toContain(RLO);
    expect(await readsLeftToRight(item.locator('.conversation-name'), 'txt.fdp')).toBe(true);
    expect(await readsLeftToRight(item.locator('.preview-text'), 'gnp.exe')).toBe(true);

    await item.getByRole('link').click();
    const header = page.locator('.thread-title');
    await header.getByText('txt.fdp', { exact: true }).waitFor();
    expect(await header.innerText()).toBe('txt.fdp');
    expect(await readsLeftToRight(header, 'txt.fdp')).toBe(true);
    const body = page.getByTestId('message-body').first();
    expect(await body.innerText()).toBe('Here it is: gnp.exe');
    expect(await readsLeftToRight(body, 'gnp.exe')).toBe(true);
    expect(await page.title()).toBe('txt.fdp · Hatch');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}bidi-stored.png` });

    // The contact editor names them by the address, and a named contact keeps it under the name.
    await page.getByRole('button', { name: 'Edit contact' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.locator('.dialog-title').innerText()).toBe('Contact txt.fdp');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const named = await env.inbox.gql(`mutation($address: String!) { updateContact(input: { address: $address, name: "Files" }) { errors { code } } }`, { address: to });
    expect(named.body.data.updateContact.errors).toEqual([]);
    await header.getByText('Files', { exact: true }).waitFor();
    expect(await page.locator('.thread-subtitle').innerText()).toContain('txt.fdp');

    const shown = await page.evaluate(() => document.body.innerText + document.title);
    expect(shown).not.toContain(RLO);
  });
});
