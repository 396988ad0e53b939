import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { OPERATOR } from './support/inbox-server.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox, row, send, startConversation } from './support/pages.ts';

const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { message { id conversationId } errors { code message } } }`;

describe.skipIf(!chromiumAvailable())('who wrote what, and where replies go', () => {
  const env = useInbox();

  const messagesOf = async (id: string) =>
    (await env.inbox.gql(`query ($id: ID!) { conversation(id: $id) { ours messages(first: 50) { edges { node { from to body sentBy { kind name } } } } } }`, { id }))
      .body.data.conversation;

  it('shows "Sent by" with the operator or the program that wrote a message of ours', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    await startConversation(page, 'Front desk', 'Towels for room 12');
    const mine = bubble(page, 'Towels for room 12');
    await mine.getByTestId('sent-by').getByText(`Sent by ${OPERATOR.name}`, { exact: true }).waitFor();
    expect(await mine.getAttribute('class')).toContain('out');

    const program = await env.inbox.token('Booking system', 'send');
    await env.inbox.gql(SEND, { input: { to: 'Front desk', body: 'Room 12 checks out at noon' } }, { authorization: `Bearer ${program}` });
    await bubble(page, 'Room 12 checks out at noon').getByTestId('sent-by').getByText('Sent by Booking system', { exact: true }).waitFor();
  });

  it('puts a reply typed in an Alice–Bob thread into that same thread, from Alice', async () => {
    const made = await env.inbox.gql(SEND, { input: { to: 'Bob', from: 'Alice', body: 'Hello Bob, it is Alice' } });
    const id = made.body.data.sendMessage.message.conversationId as string;
    const page = await openInbox(env.browser.context, env.inbox.url);
    const conversations = await page.locator('.conversation').count();
    // Named by its contact: Alice is this inbox's side.
    await row(page, 'Bob').getByRole('link').click();
    await page.waitForURL(`**/c/${id}`);
    await page.getByRole('heading', { name: 'Bob', exact: true }).waitFor();
    expect(await bubble(page, 'Hello Bob, it is Alice').getAttribute('class')).toContain('out');

    await send(page, 'A reply typed in the thread');
    await bubble(page, 'A reply typed in the thread').getByText('saved').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/c/${id}`);
    await page.waitForTimeout(300); // a conversation made by mistake would have arrived live by now
    expect(await page.locator('.conversation').count()).toBe(conversations);
    const stored = await messagesOf(id);
    expect(stored.messages.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { from: 'Alice', to: 'Bob', body: 'Hello Bob, it is Alice', sentBy: { kind: 'TOKEN', name: expect.stringMatching(/^tests /) } },
      { from: 'Alice', to: 'Bob', body: 'A reply typed in the thread', sentBy: { kind: 'OPERATOR', name: OPERATOR.name } },
    ]);
  });

  it('names both sides when neither is known to be ours, and asks which one a reply is from', async () => {
    const made = await env.inbox.gql(SEND, { input: { to: 'Dana', from: 'Carol', body: 'Carol to Dana' } });
    const id = made.body.data.sendMessage.message.conversationId as string;
    // As conversations imported without a side of ours are.
    await env.inbox.db.query('UPDATE "conversations" SET "ours" = NULL WHERE "id" = $1', [id]);

    const page = await openInbox(env.browser.context, env.inbox.url);
    await row(page, 'Carol & Dana').getByRole('link').click();
    await page.getByRole('heading', { name: 'Carol & Dana' }).waitFor();
    const first = bubble(page, 'Carol to Dana');
    expect(await first.locator('.sender-name').textContent()).toBe('Carol');

    await send(page, 'Dana answers');
    await page.getByText('Choose who this message is from.').waitFor();
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('Dana answers');
    await page.getByRole('group', { name: 'Send as' }).getByLabel('Dana').check();
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await bubble(page, 'Dana answers').waitFor();
    const stored = await messagesOf(id);
    expect(stored.messages.edges.at(-1).node).toMatchObject({ from: 'Dana', to: 'Carol', body: 'Dana answers' });
    // The server now takes Dana as this inbox's side, and the page follows live.
    expect(stored.ours).toBe('Dana');
    await page.getByRole('heading', { name: 'Carol', exact: true }).waitFor();
    await bubble(page, 'Dana answers').getByTestId('sent-by').getByText(`Sent by ${OPERATOR.name}`).waitFor();
    expect(await page.getByRole('group', { name: 'Send as' }).count()).toBe(0);
  });
});
