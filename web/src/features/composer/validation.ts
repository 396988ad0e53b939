// What the page checks itself before sending: only what needs no rules of the server's. Whether a
// recipient is a phone number, a name, or neither is the server's reading (useRecipient); the
// server stays the judge of everything, and whatever it answers is shown the same way.

export const MAX_BODY_CHARS = 1600;

export interface FieldError {
  code: string;
  message: string;
}

/** Nothing typed: there is nobody to send to. Anything else is read by the server. */
export function checkRecipient(raw: string): FieldError | null {
  return raw.trim() === '' ? { code: 'INVALID_RECIPIENT', message: 'Recipient is required.' } : null;
}

/** Characters as the server counts them: code points, so an emoji is one. */
export function bodyLength(body: string): number {
  return [...body].length;
}

export function checkBody(body: string): FieldError | null {
  if (body.trim().length === 0) return { code: 'EMPTY_BODY', message: 'Message body cannot be empty.' };
  if (bodyLength(body) > MAX_BODY_CHARS) {
    return { code: 'BODY_TOO_LONG', message: `Message body can be at most ${MAX_BODY_CHARS} characters.` };
  }
  return null;
}
