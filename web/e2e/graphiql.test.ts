import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/chromium.ts';
import { ensureSignedIn } from './support/pages.ts';
import { useInbox } from './support/setup.ts';

// (Monaco writes spaces as no-break spaces, hence \s in the patterns.)
// GraphiQL as a person uses it: signed in with the inbox's session, offline (every file from this
// server), under the Content-Security-Policy, running a query and a live subscription.
describe.skipIf(!chromiumAvailable())('GraphiQL', () => {
  const env = useInbox();

  it('runs a query and a live subscription with the session, under the CSP, from this server alone', async () => {
    await ensureSignedIn(env.browser.context, env.inbox.url);
    const page = await env.browser.context.newPage();
    const console: string[] = [];
    const elsewhere: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    page.on('request', (r) => !r.url().startsWith(env.inbox.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:') && elsewhere.push(r.url()));

    const query = '{ viewer { kind name } smsSegments(body: "hello") { segments } }';
    await page.goto(`${env.inbox.url}/graphql?query=${encodeURIComponent(query)}`);
    const run = page.getByRole('button', { name: /Execute query/ });
    await run.click();
    const results = page.locator('.graphiql-response');
    await results.getByText('"segments": 1').waitFor({ timeout: 20_000 });
    expect((await results.textContent())!.replace(/\s+/g, ' ')).toContain('"kind": "operator"');

    const subscription = 'subscription { messageUpdated { action message { body } } }';
    await page.goto(`${env.inbox.url}/graphql?query=${encodeURIComponent(subscription)}`);
    await page.getByRole('button', { name: /Execute query/ }).click();
    // The subscription is live once its stream is open; send until an event shows.
    for (let i = 0; i < 40; i++) {
      await env.inbox.gql(`mutation { sendMessage(input: { to: "GraphiQL", body: "seen in GraphiQL ${i}" }) { errors { code } } }`);
      if (await page.locator('.graphiql-response').getByText(/seen\s+in\s+GraphiQL/).count()) break;
      await page.waitForTimeout(250);
    }
    await page.locator('.graphiql-response').getByText(/seen\s+in\s+GraphiQL/).first().waitFor({ timeout: 10_000 });

    expect(console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
    expect(elsewhere).toEqual([]);
    await page.close();
  });
});
