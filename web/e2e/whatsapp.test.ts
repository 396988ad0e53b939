import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { conversationId } from '../../server/modules/conversations/conversation-id.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { OUR_NUMBER, OUR_WHATSAPP, receiveSms, receiveWhatsApp } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, description, ensureSignedIn, openInbox, row, send, waitLive } from './support/pages.ts';

const REMINDER = 'HX00000000000000000000000000000001';
const FILLED = 'Hello Dana, this is a reminder of your appointment on Friday at 10:00. Reply to this message to confirm or change it.';
const PHONE = { width: 360, height: 740 };

/** The element that has the focus: its accessible label, as a test names it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute('aria-label') ?? (el && 'labels' in el ? (el as HTMLInputElement).labels?.[0]?.textContent : null) ?? el?.textContent ?? null;
  });

/** Nothing is wider than the window (a phone scrolls up and down, never sideways). */
const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/** Sets a conversation's inbound messages `hours` back, where the server's window reads them. */
async function wroteHoursAgo(env: ReturnType<typeof useInbox>, id: string, hours: number) {
  await env.inbox.db.query(`UPDATE messages SET created_at = now() - make_interval(hours => $2) WHERE conversation_id = $1 AND direction = 'INBOUND'`, [id, hours]);
}

/**
 * Puts the pages' clock back on the real time. Playwright's clock is the browser context's, shared
 * by this file's tests: one that moved it a day on leaves every later page a day ahead, where
 * WhatsApp's window has closed.
 */
async function realTime(env: ReturnType<typeof useInbox>) {
  await env.browser.context.clock.setSystemTime(new Date());
}

describe.skipIf(!chromiumAvailable())('WhatsApp in the inbox', () => {
  const env = useInbox();

  it('shows an inbound WhatsApp message as WhatsApp, answers it with free text, and follows it to read', async () => {
    const number = 'whatsapp:+15557010001';
    const page = await openInbox(env.browser.context, env.inbox.url);
    await receiveWhatsApp(env.inbox, number, 'Hi! Is my order ready?');

    // The row says WhatsApp once: a badge, and the number without the word in front.
    const wa = row(page, number);
    await wa.getByTestId('channel-badge').getByText('WhatsApp', { exact: true }).waitFor();
    expect(await wa.locator('.conversation-name').textContent()).toBe('+1 555-701-0001');
    expect(await wa.getByRole('link').textContent()).toContain('WhatsApp');

    // The same number by SMS is a conversation of its own, without the badge.
    await receiveSms(env.inbox, '+15557010001', 'And by text too');
    await row(page, '+15557010001').waitFor();
    expect(await row(page, '+15557010001').getByTestId('channel-badge').count()).toBe(0);

    await wa.getByRole('link').click();
    await bubble(page, 'Hi! Is my order ready?').waitFor();
    await page.locator('.thread-header').getByTestId('channel-badge').getByText('WhatsApp').waitFor();
    expect(await page.locator('.thread-header .thread-title').textContent()).toBe('+1 555-701-0001');

    // The composer says where it goes, and until when free text may.
    const note = page.getByTestId('composer-channel');
    expect(await note.textContent()).toMatch(/^WhatsApp to \+1 555-701-0001 · Free text until \d{1,2}:\d{2}( [AP]M)? (today|tomorrow)$/);
    const box = page.getByRole('textbox', { name: 'Message' });
    expect(await box.getAttribute('placeholder')).toBe('WhatsApp message');
    expect(await box.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent).join(' '))).toContain(
      'WhatsApp to +1 555-701-0001',
    );

    await send(page, 'Yes: ready for pickup from 2 pm.');
    // The simulator reports sent, delivered, then read, as WhatsApp does.
    await bubble(page, 'Yes: ready for pickup from 2 pm.').getByTestId('message-status').getByText('read', { exact: true }).waitFor({ timeout: 10_000 });
    const [stored] = await env.inbox.db.query<{ status: string; channel: string }>(`SELECT status, channel FROM messages WHERE body = 'Yes: ready for pickup from 2 pm.'`);
    expect(stored).toMatchObject({ status: 'READ', channel: 'WHATSAPP' });
  });

  it('offers only templates outside the window: one chosen and filled in from the keyboard goes out as its text', async () => {
    const number = 'whatsapp:+15557010002';
    const id = conversationId(OUR_WHATSAPP, number);
    await receiveWhatsApp(env.inbox, number, 'Can I move my appointment?');
    await wroteHoursAgo(env, id, 25);
    const page = await openInbox(env.browser.context, env.inbox.url, `/c/${id}`);
    await bubble(page, 'Can I move my appointment?').waitFor();

    // Free text is off, and the composer says why.
    const composer = page.getByRole('form', { name: 'WhatsApp template' });
    const why = composer.getByRole('note');
    await why.getByText('Free text is off: +1 555-701-0002 last wrote more than 24 hours ago', { exact: false }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    expect(await composer.getByTestId('composer-channel').textContent()).toBe('WhatsApp to +1 555-701-0002 · templates only');

    // Everything from the keyboard: the template, then each blank, then Enter sends.
    const template = composer.getByRole('combobox', { name: 'Template' });
    await template.focus();
    expect(await template.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((x) => document.getElementById(x)?.textContent).join(' '))).toContain('Free text is off');
    await page.keyboard.press('ArrowDown');
    expect(await template.inputValue()).toBe(REMINDER);
    const preview = composer.getByTestId('template-preview');
    expect(await preview.textContent()).toBe('Hello Blank 1, this is a reminder of your appointment on Blank 2. Reply to this message to confirm or change it.');
    // Enter with a blank empty does not send: the blank says so and takes the focus.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Blank 1');
    await page.keyboard.press('Enter');
    await composer.getByText('Fill in blank 1.').waitFor();
    expect(await composer.getByRole('textbox', { name: 'Blank 1' }).getAttribute('aria-invalid')).toBe('true');
    expect(await composer.getByRole('textbox', { name: 'Blank 1' }).inputValue()).toBe('');
    expect(await description(page, 'Blank 1')).toContain('For example: Dana');

    await page.keyboard.type('Dana');
    expect(await preview.textContent()).toBe('Hello Dana, this is a reminder of your appointment on Blank 2. Reply to this message to confirm or change it.');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Blank 2');
    await page.keyboard.type('Friday at 10:00');
    expect(await preview.textContent()).toBe(FILLED);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Send template');
    await page.keyboard.press('Enter');

    await bubble(page, FILLED).getByTestId('message-status').getByText('read', { exact: true }).waitFor({ timeout: 10_000 });
    const [sent] = await env.inbox.db.query<{ body: string; channel: string }>(`SELECT body, channel FROM messages WHERE conversation_id = $1 AND direction = 'OUTBOUND'`, [id]);
    expect(sent).toEqual({ body: FILLED, channel: 'WHATSAPP' });
    // The form is ready for the next one; a template does not open the window.
    expect(await template.inputValue()).toBe('');
    expect(await focused(page)).toBe('Template');

    // The customer writes: free text is open again, live.
    await receiveWhatsApp(env.inbox, number, 'Friday works, thanks!');
    await bubble(page, 'Friday works, thanks!').waitFor();
    await page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('composer-channel').textContent()).toMatch(/^WhatsApp to \+1 555-701-0002 · Free text until /);
  });

  it('turns to templates when the server refuses free text, and shows its refusal as a send error', async () => {
    const number = 'whatsapp:+15557010004';
    const id = conversationId(OUR_WHATSAPP, number);
    await receiveWhatsApp(env.inbox, number, 'Hello?');
    const page = await openInbox(env.browser.context, env.inbox.url, `/c/${id}`);
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    // The window closed where the page could not see it (the customer's message is older than it knew).
    await wroteHoursAgo(env, id, 25);
    await send(page, 'Are you still there?');
    const composer = page.getByRole('form', { name: 'WhatsApp template' });
    await composer.locator('.field-error').getByText('WhatsApp allows free text only within 24 hours', { exact: false }).waitFor();
    await composer.getByRole('combobox', { name: 'Template' }).waitFor();
    // Nothing typed is lost: it is the draft again once free text is.
    await receiveWhatsApp(env.inbox, number, 'Yes, here');
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).inputValue().catch(() => null), { timeout: 10_000 }).toBe('Are you still there?');
  });

  it('switches to templates on its own when the window closes while the thread is open', async () => {
    const number = 'whatsapp:+15557010005';
    const id = conversationId(OUR_WHATSAPP, number);
    await receiveWhatsApp(env.inbox, number, 'Talk tomorrow?');
    await ensureSignedIn(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    // A phone: the template choice does not take the focus on its own there (a wide thread's would).
    await page.setViewportSize(PHONE);
    // The page's own clock, so that a day can pass in a moment.
    await page.clock.install();
    await page.goto(new URL(`/c/${id}`, env.inbox.url).toString());
    await waitLive(page);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.focus();
    await page.clock.fastForward('24:00:30');
    const template = page.getByRole('combobox', { name: 'Template' });
    await template.waitFor({ timeout: 10_000 });
    expect(await page.getByRole('note').filter({ hasText: 'Free text is off' }).textContent()).toContain('last wrote more than 24 hours ago');
    // The focus was in the message box: it moves to the templates, not to the page.
    expect(await focused(page)).toBe('Template');
  });

  it('chooses SMS or WhatsApp for a new message to a number, and starts a WhatsApp conversation with a template', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/new', PHONE);
    const to = page.getByRole('combobox', { name: 'To' });
    await to.fill('(555) 701-0003');
    const choice = page.getByRole('group', { name: 'Send by' });
    await choice.waitFor();
    const confirmation = page.getByTestId('recipient-confirmation');
    await confirmation.getByText('SMS to +1 555-701-0003', { exact: true }).waitFor();
    expect(await choice.getByRole('radio', { name: 'SMS' }).isChecked()).toBe(true);

    // From the keyboard: Tab reaches the chosen radio, an arrow chooses the other.
    await to.focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('SMS');
    await page.keyboard.press('ArrowRight');
    expect(await choice.getByRole('radio', { name: 'WhatsApp' }).isChecked()).toBe(true);
    await confirmation.getByText('WhatsApp to +1 555-701-0003', { exact: true }).waitFor();

    // Never written on WhatsApp: a template starts the conversation.
    const composer = page.getByRole('form', { name: 'WhatsApp template' });
    await composer.getByRole('note').getByText('+1 555-701-0003 has not written to you on WhatsApp yet', { exact: false }).waitFor();
    const violations = await axeViolations(page);
    expect(violations, describeViolations('a new WhatsApp message at 360 px', violations)).toEqual([]);
    expect(await overflowsSideways(page)).toBe(false);
    // Names have no channel to choose.
    await to.fill('Front desk');
    await choice.waitFor({ state: 'detached' });
    await confirmation.getByText('is a name', { exact: false }).waitFor();
    await to.fill('(555) 701-0003');
    await confirmation.getByText('WhatsApp to +1 555-701-0003', { exact: true }).waitFor();

    await composer.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'follow_up (en)' });
    await composer.getByRole('textbox', { name: 'Blank 1' }).fill('Sam');
    await composer.getByRole('button', { name: 'Send template' }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]+$/);
    const text = 'Hi Sam, we have an update about your request. Reply to this message to continue the conversation.';
    await bubble(page, text).waitFor();
    expect(page.url()).toContain(conversationId(OUR_WHATSAPP, 'whatsapp:+15557010003'));
    // Still templates only in the thread it started.
    await page.getByRole('form', { name: 'WhatsApp template' }).waitFor();
  });

  it('moves a reply to the same number on its other channel from the keyboard, where it is sent and shows', async () => {
    const number = '+15557010010';
    const whatsapp = `whatsapp:${number}` as const;
    const waId = conversationId(OUR_WHATSAPP, whatsapp);
    const smsId = conversationId(OUR_NUMBER, number);
    await receiveWhatsApp(env.inbox, whatsapp, 'Could you text me instead?');
    await realTime(env);
    const page = await openInbox(env.browser.context, env.inbox.url, `/c/${waId}`);
    await bubble(page, 'Could you text me instead?').waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Sure, texting you now.');

    // The control sits beside the channel line, just before the message box: Shift+Tab, Enter.
    await box.focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('Text by SMS instead');
    await page.keyboard.press('Enter');

    // No SMS conversation with the number yet: a new message to it, by SMS, with what was typed.
    await page.waitForURL(/\/new$/);
    await page.getByTestId('recipient-confirmation').getByText('SMS to +1 555-701-0010', { exact: true }).waitFor();
    expect(await page.getByRole('combobox', { name: 'To' }).inputValue()).toBe('+1 555-701-0010');
    expect(await page.getByRole('group', { name: 'Send by' }).getByRole('radio', { name: 'SMS' }).isChecked()).toBe(true);
    expect(await box.inputValue()).toBe('Sure, texting you now.');
    await box.press('Enter');

    // It opens the number's SMS conversation, with the message in it.
    await page.waitForURL(new RegExp(`/c/${smsId}$`));
    await bubble(page, 'Sure, texting you now.').waitFor();
    expect(await page.getByTestId('composer-channel').textContent()).toBe('SMS to +1 555-701-0010');
    const [sms] = await env.inbox.db.query<{ conversation_id: string; channel: string }>(`SELECT conversation_id, channel FROM messages WHERE body = 'Sure, texting you now.'`);
    expect(sms).toEqual({ conversation_id: smsId, channel: 'SMS' });

    // The thread with the control, on a phone: axe, and nothing wider than the screen.
    await page.setViewportSize(PHONE);
    const toWhatsApp = page.getByRole('button', { name: 'Write on WhatsApp instead' });
    expect(await toWhatsApp.isVisible()).toBe(true);
    const violations = await axeViolations(page);
    expect(violations, describeViolations('an SMS thread with the way to WhatsApp (360 px)', violations)).toEqual([]);
    expect(await overflowsSideways(page)).toBe(false);

    // The reverse: they wrote on WhatsApp within the day, so free text goes in that conversation.
    await box.fill('Or here on WhatsApp, if you prefer.');
    await box.focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('Write on WhatsApp instead');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/c/${waId}$`));
    await bubble(page, 'Could you text me instead?').waitFor();
    expect(await page.getByTestId('composer-channel').textContent()).toMatch(/^WhatsApp to \+1 555-701-0010 · Free text until /);
    expect(await box.inputValue()).toBe('Or here on WhatsApp, if you prefer.');
    await box.press('Enter');
    await bubble(page, 'Or here on WhatsApp, if you prefer.').waitFor();
    // The bubble shows before the server has it: its row is waited for.
    const stored = async () => (await env.inbox.db.query<{ conversation_id: string; channel: string }>(`SELECT conversation_id, channel FROM messages WHERE body = 'Or here on WhatsApp, if you prefer.'`))[0];
    await expect.poll(stored, { timeout: 10_000 }).toEqual({ conversation_id: waId, channel: 'WHATSAPP' });

    // A day later, from the SMS thread: the WhatsApp conversation offers its templates, and the way back.
    await wroteHoursAgo(env, waId, 25);
    const later = await openInbox(env.browser.context, env.inbox.url, `/c/${smsId}`, PHONE);
    await later.getByRole('button', { name: 'Write on WhatsApp instead' }).press('Enter');
    await later.waitForURL(new RegExp(`/c/${waId}$`));
    const templates = later.getByRole('form', { name: 'WhatsApp template' });
    await templates.getByRole('combobox', { name: 'Template' }).waitFor();
    expect(await templates.getByTestId('composer-channel').textContent()).toBe('WhatsApp to +1 555-701-0010 · templates only');
    expect(await templates.getByRole('button', { name: 'Text by SMS instead' }).isVisible()).toBe(true);
    const outside = await axeViolations(later);
    expect(outside, describeViolations('a WhatsApp thread outside the window, with the way to SMS (360 px)', outside)).toEqual([]);
    expect(await overflowsSideways(later)).toBe(false);
  });

  it('takes a WhatsApp address typed out as a choice of WhatsApp', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/new');
    await page.getByRole('combobox', { name: 'To' }).fill('whatsapp:+1 555 701 0009');
    await page.getByTestId('recipient-confirmation').getByText('WhatsApp to +1 555-701-0009', { exact: true }).waitFor();
    expect(await page.getByRole('group', { name: 'Send by' }).getByRole('radio', { name: 'WhatsApp' }).isChecked()).toBe(true);
  });

  for (const [size, viewport] of Object.entries({ desktop: { width: 1280, height: 800 }, phone: PHONE })) {
    it(`passes axe with the template composer, filled in and refused, and fits a 360 px phone (${size})`, async () => {
      const number = size === 'phone' ? 'whatsapp:+15557010007' : 'whatsapp:+15557010006';
      const id = conversationId(OUR_WHATSAPP, number);
      await receiveWhatsApp(env.inbox, number, 'Are you open on Sunday?');
      await wroteHoursAgo(env, id, 30);
      const page = await openInbox(env.browser.context, env.inbox.url, `/c/${id}`, viewport);
      const composer = page.getByRole('form', { name: 'WhatsApp template' });
      await composer.getByRole('combobox', { name: 'Template' }).selectOption(REMINDER);
      await composer.getByRole('textbox', { name: 'Blank 1' }).fill('Dana');
      await composer.getByRole('button', { name: 'Send template' }).click();
      await composer.getByText('Fill in blank 2.').waitFor();

      const violations = await axeViolations(page);
      expect(violations, describeViolations(`the template composer (${size})`, violations)).toEqual([]);
      expect(await overflowsSideways(page)).toBe(false);
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await axeViolations(page);
      expect(dark, describeViolations(`the template composer, dark (${size})`, dark)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'light' });
      // Every part of the form can be reached and seen: the composer scrolls within itself if it must.
      const send = composer.getByRole('button', { name: 'Send template' });
      await send.scrollIntoViewIfNeeded();
      expect(await send.isVisible()).toBe(true);
      // The thread keeps room above it: the form scrolls within itself rather than take the screen.
      const form = await composer.boundingBox();
      expect(form!.height).toBeLessThanOrEqual(viewport.height * (size === 'phone' ? 0.5 : 0.6) + 1);
      expect((await page.locator('.message-scroll').boundingBox())!.height).toBeGreaterThan(80);
    });
  }
});

