import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/testing/config.ts';
import { startReceiver } from '../../server/testing/webhook-receiver.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { openInbox } from './support/pages.ts';

// Settings → Webhooks: added from the keyboard, its secret shown once and accepted by a receiver
// built on the standardwebhooks library, a test event, the delivery log, disable and enable.
describe.skipIf(!chromiumAvailable())('webhooks in Settings', () => {
  const env = useInbox({ config: { ...testConfig(), webhooks: { allowHttp: true, allowPrivate: ['127.0.0.1'] } }, webhookTimes: { everyMs: 100 } });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());

  it('adds a webhook by keyboard at 360 px, whose deliveries the receiver accepts, and shows its log', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/settings', { width: 360, height: 740 });
    const section = page.getByRole('region', { name: 'Webhooks' });
    await section.getByText('No webhooks yet.').waitFor();

    // A URL it may not reach first: said at the field, nothing added.
    const url = section.getByRole('textbox', { name: 'Endpoint URL' });
    await url.focus();
    await page.keyboard.type('https://10.0.0.8/hooks');
    await section.getByRole('textbox', { name: 'Description (optional)' }).focus();
    await page.keyboard.type('CRM');
    await section.getByRole('button', { name: 'Add webhook' }).focus();
    await page.keyboard.press('Enter');
    await section.getByText(/10\.0\.0\.8 is a private address/).waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');

    await url.fill(receiver.url);
    await section.getByRole('checkbox', { name: /Message status changed/ }).check();
    await section.getByRole('button', { name: 'Add webhook' }).focus();
    await page.keyboard.press('Enter');
    const secret = await section.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    receiver.knows(secret);
    const violations = await axeViolations(page);
    expect(violations, describeViolations('Settings with a new webhook secret at 360 px', violations)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await section.getByRole('button', { name: 'I have copied it' }).click();

    // A message arrives: the receiver gets it, verified.
    await receiveSms(env.inbox, '+15553060001', 'Hello from the webhook test');
    await expect.poll(() => receiver.accepted.filter((r) => r.type === 'message.created').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const got = receiver.accepted.find((r) => r.body.data.message.body === 'Hello from the webhook test')!;
    expect(got.verified).toBe(true);

    // A test event, then the log says what went.
    await section.getByRole('button', { name: 'Send test event to CRM' }).click();
    await section.getByRole('status').filter({ hasText: `A test event is on its way to ${receiver.url}.` }).waitFor();
    await expect.poll(() => receiver.accepted.some((r) => r.type === 'webhook.test'), { timeout: 10_000 }).toBe(true);
    await page.reload();
    const item = page.getByTestId('webhook').filter({ hasText: 'CRM' });
    await item.getByText('Last deliveries').click();
    await item.getByTestId('delivery').filter({ hasText: 'webhook.test · delivered · 1 attempt · HTTP 204' }).waitFor();
    await item.getByTestId('delivery').filter({ hasText: 'message.created · delivered' }).first().waitFor();
    const logViolations = await axeViolations(page);
    expect(logViolations, describeViolations('the webhook delivery log at 360 px', logViolations)).toEqual([]);

    // Disabled: events wait; enabled: they go.
    await item.getByRole('button', { name: 'Disable CRM' }).click();
    await item.getByText(/· Disabled$/).waitFor();
    const before = receiver.attempts.length;
    await receiveSms(env.inbox, '+15553060001', 'While it is disabled');
    await new Promise((r) => setTimeout(r, 700));
    expect(receiver.attempts.length).toBe(before);
    await item.getByRole('button', { name: 'Enable CRM' }).click();
    await expect.poll(() => receiver.accepted.some((r) => r.body.data?.message?.body === 'While it is disabled'), { timeout: 10_000 }).toBe(true);
  });
});
