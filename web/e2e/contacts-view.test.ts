import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.ts';
import { chromiumAvailable } from './support/chromium.ts';
import { receiveSms } from './support/inbound-sms.ts';
import { useInbox } from './support/setup.ts';
import { bubble, gqlAs, openInbox } from './support/pages.ts';

// The Contacts view: everyone the inbox talks to, found by name or number, edited, and (admins)
// imported and exported as CSV.
describe.skipIf(!chromiumAvailable())('the Contacts view', () => {
  const env = useInbox();

  it('finds a contact by name or number, edits them, and opens their conversation (360 px)', async () => {
    await receiveSms(env.inbox, '+15553040001', 'Hello from Dana');
    await receiveSms(env.inbox, '+15553040002', 'Hello from someone');
    await gqlAs(env.browser.context, env.inbox.url, `mutation { updateContact(input: { address: "+15553040001", name: "Dana Scully", notes: "Room 12" }) { errors { code } } }`);
    const page = await openInbox(env.browser.context, env.inbox.url, '/', { width: 360, height: 740 });
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 2 }).waitFor();
    await page.getByTestId('contact').first().waitFor();
    const violations = await axeViolations(page);
    expect(violations, describeViolations('the Contacts view at 360 px', violations)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const search = page.getByRole('searchbox', { name: 'Search contacts' });
    await search.fill('dana');
    await expect.poll(() => page.getByTestId('contact').count()).toBe(1);
    await search.fill('304-0002');
    await expect.poll(() => page.getByTestId('contact').allTextContents()).toEqual([expect.stringContaining('+1 555-304-0002')]);

    await search.fill('dana');
    await page.getByRole('button', { name: 'Edit Dana Scully' }).click();
    const dialog = page.getByRole('dialog', { name: /Contact/ });
    await dialog.getByLabel('Notes').fill('Room 14, moved');
    await dialog.getByRole('button', { name: 'Save contact' }).click();
    await page.getByTestId('contact').locator('.contact-notes', { hasText: 'Room 14, moved' }).waitFor();

    await page.getByRole('link', { name: 'Open conversation with Dana Scully' }).click();
    await page.waitForURL(/\/c\//);
    await bubble(page, 'Hello from Dana').waitFor();
  });

  it('imports a CSV with a report of what it could not read, and exports every contact', async () => {
    const page = await openInbox(env.browser.context, env.inbox.url, '/contacts');
    await page.getByRole('heading', { name: 'Import and export' }).waitFor();
    const csv = 'number,name,notes\n(555) 304-0010,"Fox ""Spooky"" Mulder","Basement, FBI"\n555-12,Not a number,\n+44 7700 900555,Ελένη,\n';
    await page.getByLabel('Import contacts from a CSV file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('status').filter({ hasText: 'Imported: 2 new, 0 updated, 0 unchanged. 1 row(s) not understood' }).waitFor();
    await page.getByRole('list', { name: 'Rows not imported' }).getByText('Row 3: “555-12” is not a phone number.').waitFor();
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('spooky');
    await page.getByTestId('contact').locator('.contact-name', { hasText: 'Fox "Spooky" Mulder' }).waitFor();

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(file.suggestedFilename()).toBe('contacts.csv');
    const text = readFileSync((await file.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('number,name,notes');
    expect(text).toContain('+15553040010,"Fox ""Spooky"" Mulder","Basement, FBI"');
    expect(text).toContain('+447700900555,Ελένη,');
    await page.getByRole('status').filter({ hasText: /Exported \d+ contacts/ }).waitFor();
  });
});
