import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { useInbox } from './support/setup.ts';
import { bubble, openInbox, startConversation } from './support/pages.ts';

describe.skipIf(!chromiumAvailable())('an SMS status', () => {
  // Slow enough steps that "sending…" stays on screen long enough to be seen.
  const env = useInbox({ sms: { simulatorStepMs: 300 } });

  it('ticks from sending… to delivered as the provider reports', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url);
    // Records every status text the newest outbound bubble shows, from the keypress on.
    await page.evaluate(() => {
      const seen: { text: string; at: number }[] = [];
      (window as unknown as { statuses: typeof seen }).statuses = seen;
      const observer = new MutationObserver(() => {
        const text = [...document.querySelectorAll('.message.out [data-testid="message-status"]')].at(-1)?.textContent;
        if (text && seen.at(-1)?.text !== text) seen.push({ text, at: performance.now() });
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await startConversation(page, '+15550003333', 'Your room is ready.');
    await bubble(page, 'Your room is ready.').getByText('delivered', { exact: true }).waitFor({ timeout: 10_000 });

    const seen = await page.evaluate(() => (window as unknown as { statuses: { text: string; at: number }[] }).statuses);
    console.log(`statuses shown: ${seen.map((s) => `${s.text} (+${Math.round(s.at - seen[0]!.at)} ms)`).join(' → ')}`);
    const statuses = seen.map((s) => s.text);
    expect(statuses[0]).toBe('sending…');
    expect(statuses.at(-1)).toBe('delivered');
    expect(statuses).toContain('sent');
    // "sending…" stayed up while the provider worked on it, long enough for a person to read.
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThan(200);
    const stored = await env.inbox.gql(`{ conversations(first: 1) { edges { node { lastMessage { status } } } } }`);
    expect(stored.body.data.conversations.edges[0].node.lastMessage.status).toBe('DELIVERED');
  });
});
