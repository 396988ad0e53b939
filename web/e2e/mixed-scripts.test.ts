import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox, row, send } from './support/pages.ts';

const ARABIC = 'مرحبا، غرفتك جاهزة at 11:00!';
const HEBREW = 'שלום, is breakfast included?';

describe.skipIf(!chromiumAvailable())('Arabic and Hebrew beside English', () => {
  const env = useInbox();

  it('lays out each text in its own direction, in bubbles, the list and the fields', async () => {
    await receiveSms(env.inbox, '+15550707070', HEBREW);
    const page = await openInbox(env.browser.context, env.inbox.url);
    await row(page, '+15550707070').getByRole('link').click();
    const box = page.getByLabel('Message', { exact: true });
    await box.pressSequentially(ARABIC);
    expect(await box.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await send(page, ARABIC);
    await bubble(page, ARABIC).getByText('delivered').waitFor();

    const direction = (selector: string) => page.locator(selector).evaluateAll((els) => els.map((el) => [el.getAttribute('dir'), getComputedStyle(el).direction]));
    // Each body and preview decides for itself: right to left, since it starts in Arabic or Hebrew.
    expect(await direction('[data-testid="message-body"]')).toEqual([
      ['auto', 'rtl'],
      ['auto', 'rtl'],
    ]);
    // The preview's text too, while "You: " before it stays where English puts it.
    expect(await direction('.conversation-preview .preview-text')).toEqual([['auto', 'rtl']]);
    expect(await row(page, '+15550707070').locator('.conversation-preview').textContent()).toBe(`You: ${ARABIC}`);
    // English stays left to right, in the same views.
    await box.pressSequentially('See you soon');
    expect(await box.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    const search = page.getByLabel('Search conversations');
    expect(await search.getAttribute('dir')).toBe('auto');
    await search.fill('שלום');
    expect(await search.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  });
});
