import { describe, expect, it } from 'vitest';
import { safeMedia } from './media.ts';

describe('safeMedia', () => {
  it('is empty for messages without media', () => {
    expect(safeMedia([])).toEqual([]);
    expect(safeMedia(null)).toEqual([]);
  });

  it('keeps http(s) attachments only', () => {
    expect(
      safeMedia([
        { url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' },
        { url: 'javascript:alert(1)', contentType: 'text/html' },
        { url: 'data:image/png;base64,AAAA', contentType: 'image/png' },
        { url: 'http://example.com/b.pdf', contentType: null },
      ]),
    ).toEqual([
      { url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' },
      { url: 'http://example.com/b.pdf', contentType: null },
    ]);
  });
});
