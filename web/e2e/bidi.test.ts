import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { openInbox } from './support/pages.ts';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const RLO = '\u202E';

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
});
