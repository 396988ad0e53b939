import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox, row, send, startConversation } from './support/pages.ts';

const BODIES = `query($to: String!) { conversations(first: 5, search: $to) { edges { node { messages(last: 10) { edges { node { body status } } } } } } }`;

describe.skipIf(!chromiumAvailable())('an SMS that fails', () => {
  const env = useInbox();

  it('looks failed, says "Not delivered" in the thread and the list alike, and can be sent again', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await startConversation(page, '+15557770101', 'Good morning');
    const first = bubble(page, 'Good morning');
    await first.getByText('delivered', { exact: true }).waitFor();
    // A carrier's report after the fact, as Twilio's status callback would bring it.
    await env.inbox.db.query(`UPDATE messages SET status = 'FAILED', error_code = '30003', error_message = 'Unreachable destination handset' WHERE body = 'Good morning'`);
    await page.reload();
    await first.getByTestId('message-status').getByText('Not delivered: Unreachable destination handset').waitFor();
    expect(await first.getAttribute('class')).toContain('failed');
    // Not the blue of a message that went out.
    const background = await first.locator('.bubble').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe('rgb(31, 79, 209)');
    expect(await row(page, '+15557770101').locator('.conversation-preview').textContent()).toContain('Not delivered');

    await first.getByRole('button', { name: 'Resend' }).click();
    await page.locator('.message').nth(1).getByText('delivered', { exact: true }).waitFor();
    // A new message with a key of its own; the failed one stays as it was.
    const { body } = await env.inbox.gql(BODIES, { to: '+15557770101' });
    const messages = body.data.conversations.edges[0].node.messages.edges.map((e: { node: unknown }) => e.node);
    expect(messages).toEqual([
      { body: 'Good morning', status: 'FAILED' },
      { body: 'Good morning', status: 'DELIVERED' },
    ]);
  });

  it("words an opt-out from what happened: Twilio's test number is not someone who replied STOP", async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await startConversation(page, '+15005550004', 'Your table is ready');
    const status = bubble(page, 'Your table is ready').getByTestId('message-status');
    await status.getByText("Not delivered: +1 500-555-0004 is Twilio's test number for an opted-out recipient", { exact: false }).waitFor();
    await page.getByRole('note').getByText("Twilio's test number for an opted-out recipient", { exact: false }).waitFor();
    // Sent again, it would only be refused again: no Resend.
    expect(await bubble(page, 'Your table is ready').getByRole('button', { name: 'Resend' }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('replied STOP');
    await row(page, '+15005550004').getByText('Opted out').waitFor();

    // Someone who really replied STOP is worded so.
    await receiveSms(env.inbox, '+15557770142', 'STOP');
    await row(page, '+15557770142').getByRole('link').click();
    await page.getByRole('note').getByText('+1 555-777-0142 replied STOP', { exact: false }).waitFor();
    await send(page, 'Are you sure?');
    await page.getByText('+1 555-777-0142 replied STOP: no text reaches them', { exact: false }).first().waitFor();
  });
});
