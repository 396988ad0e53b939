import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { useInbox } from './support/setup.ts';
import { bubble, description, openInbox, row, send, startConversation } from './support/pages.ts';

describe.skipIf(!chromiumAvailable())('the composer', () => {
  const env = useInbox();

  const stored = async () => (await env.inbox.gql(`{ conversations(first: 50) { edges { node { id } } } }`)).body.data.conversations.edges.length;

  it('shows an invalid phone number inline, where it was typed, and sends nothing', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/new');
    const mutations: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/graphql') && mutations.push(r.postData() ?? ''));
    const to = page.getByLabel('To', { exact: true });
    await to.fill('555-1234');
    await send(page, 'Your order is ready.');

    await page.getByText('is not a phone number Hatch can text', { exact: false }).waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await description(page, 'To')).toContain('is not a phone number Hatch can text');
    // What was typed stays, and no message was shown as sending.
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('Your order is ready.');
    expect(await page.locator('.message').count()).toBe(0);
    expect(mutations.filter((m) => m.includes('SendMessage'))).toEqual([]);
    expect(await stored()).toBe(0);

    // Fixing it clears the error as it is typed.
    await to.fill('+15550004444');
    expect(await to.getAttribute('aria-invalid')).toBeNull();
  });

  it("shows the server's own rejection inline too", async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/new');
    // A valid name, but it is the operator's own: the server refuses a conversation with oneself.
    await page.getByLabel('To', { exact: true }).fill('Operator');
    await send(page, 'Note to self');
    await page.getByText('Sender and recipient are the same', { exact: false }).waitFor();
    expect(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('Note to self');
    expect(await stored()).toBe(0);
  });

  it('flags an empty message on the message box', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/new');
    await page.getByLabel('To', { exact: true }).fill('+15550004444');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    const box = page.getByLabel('Message', { exact: true });
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect(await description(page, 'Message')).toContain('Message body cannot be empty.');
    expect(await stored()).toBe(0);
  });

  it('sends on Enter, makes a new line on Shift+Enter, and counts SMS segments as the server does', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await startConversation(page, '+15550005555', 'First');
    const box = page.getByLabel('Message', { exact: true });
    await box.pressSequentially('Line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('Line two');
    await page.getByTestId('segment-counter').getByText('1 SMS · 143 left', { exact: false }).waitFor();
    await box.pressSequentially(' 🙂');
    await page.getByTestId('segment-counter').getByText('Unicode', { exact: false }).waitFor();
    await box.press('Enter');
    await bubble(page, 'Line one\nLine two 🙂').getByText('delivered').waitFor();
    expect(await box.inputValue()).toBe('');
    const last = await env.inbox.gql(`{ conversations(first: 1) { edges { node { lastMessage { body segments encoding } } } } }`);
    expect(last.body.data.conversations.edges[0].node.lastMessage).toEqual({ body: 'Line one\nLine two 🙂', segments: 1, encoding: 'UCS2' });
  });

  it('works from the keyboard alone', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent);
    // Brand, status, then the first control: the New message button.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('New message');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).id === document.querySelector('label[for]')?.getAttribute('for'))).toBe(true);
    await page.keyboard.type('+15550001212');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/c\//);
    await bubble(page, 'Typed without a mouse').waitFor();
    // The conversation's row is a link that Enter opens.
    await row(page, '+15550001212').getByRole('link').focus();
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).pathname).toMatch(/^\/c\//);
  });

  it('keeps a conversation with a name in Hatch only', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await page.getByRole('button', { name: 'New message' }).click();
    await page.getByLabel('To', { exact: true }).fill('Housekeeping');
    expect(await description(page, 'To')).toContain('kept in Hatch only');
    await send(page, 'Room 12 needs towels');
    await page.waitForURL(/\/c\//);
    await page.getByText('Stored in Hatch only').waitFor();
    await bubble(page, 'Room 12 needs towels').getByText('saved').waitFor();
  });
});
