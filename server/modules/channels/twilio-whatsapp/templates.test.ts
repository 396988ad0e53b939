import { describe, expect, it } from 'vitest';
import { approvedTemplates, blanksOf, cachedFor, fillTemplate, type ContentWithApproval } from './templates.ts';

const content = (over: Partial<ContentWithApproval>): ContentWithApproval => ({
  sid: 'HX1',
  friendlyName: 'x',
  language: 'en',
  variables: {},
  types: { 'twilio/text': { body: 'Hi {{1}}' } },
  approvalRequests: { status: 'approved' },
  ...over,
});

describe('WhatsApp templates', () => {
  it('finds each blank once, in order, and fills them in', () => {
    expect(blanksOf('{{2}} then {{1}}, {{ 2 }} again, {{name}}')).toEqual(['2', '1', 'name']);
    expect(fillTemplate('Hi {{1}}, on {{ 2 }}: {{3}}', { 1: 'Dana', 2: 'Friday' })).toBe('Hi Dana, on Friday: {{3}}');
    // A value that looks like a blank is not filled in again.
    expect(fillTemplate('{{1}} {{2}}', { 1: '{{2}}', 2: 'x' })).toBe('{{2}} x');
  });

  it('keeps only approved templates with a text, whichever way the approval is written', () => {
    const listed = approvedTemplates([
      content({ sid: 'HXa', variables: { 1: 'Dana' } }),
      content({ sid: 'HXb', approvalRequests: { whatsapp: { status: 'approved' } } }),
      content({ sid: 'HXc', approvalRequests: { status: 'rejected' } }),
      content({ sid: 'HXd', approvalRequests: null }),
      content({ sid: 'HXe', types: { 'twilio/media': { media: ['https://x'] } } }),
      content({ sid: 'HXf', types: { 'twilio/quick-reply': { body: 'Yes or no, {{1}}?', actions: [] } } }),
    ]);
    expect(listed.map((t) => t.sid)).toEqual(['HXa', 'HXb', 'HXf']);
    expect(listed[0]!.variables).toEqual([{ name: '1', example: 'Dana' }]);
    expect(listed[2]!.body).toBe('Yes or no, {{1}}?');
  });

  it('keeps a listing for its time, shares one request among callers, and does not keep a failure', async () => {
    let now = 0;
    let calls = 0;
    let fail = false;
    const get = cachedFor(1000, async () => {
      calls++;
      if (fail) throw new Error('down');
      return calls;
    }, () => now);
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    now = 999;
    expect(await get()).toBe(1);
    now = 1000;
    fail = true;
    await expect(get()).rejects.toThrow('down');
    fail = false;
    expect(await get()).toBe(3);
    expect(calls).toBe(3);
  });
});
