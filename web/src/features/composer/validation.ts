// The server's send rules (server/modules/messages/send-input.ts), mirrored so a person sees a
// problem as they type instead of after a round trip. The server stays the judge: whatever it
// answers is shown the same way.
import { isPhoneNumber } from '../../lib/phone.ts';

export const MAX_BODY_CHARS = 1600;
export const MAX_NAME_CHARS = 100;
// Digits with phone punctuation and no letters: the person meant a phone number.
const PHONE_LIKE = /^[\d\s+().\-]+$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface FieldError {
  code: string;
  message: string;
}

export type Recipient = { kind: 'sms'; to: string } | { kind: 'stored'; to: string };

export type RecipientCheck = { ok: true; recipient: Recipient } | { ok: false; error: FieldError };

/** E.164 → SMS; phone-like but malformed → an error; anything else is a name (stored only). */
export function checkRecipient(raw: string): RecipientCheck {
  const to = raw.trim();
  if (isPhoneNumber(to)) return { ok: true, recipient: { kind: 'sms', to } };
  if (to !== '' && PHONE_LIKE.test(to) && /\d/.test(to)) {
    return {
      ok: false,
      error: {
        code: 'INVALID_PHONE_NUMBER',
        message: 'Phone numbers must be in E.164 form: + then 10 to 15 digits, no spaces (e.g. +15551234567).',
      },
    };
  }
  if (to === '') return { ok: false, error: { code: 'INVALID_RECIPIENT', message: 'Recipient is required.' } };
  if ([...to].length > MAX_NAME_CHARS) {
    return { ok: false, error: { code: 'INVALID_RECIPIENT', message: `A name can be at most ${MAX_NAME_CHARS} characters.` } };
  }
  if (CONTROL.test(to)) return { ok: false, error: { code: 'INVALID_RECIPIENT', message: 'A name cannot contain control characters.' } };
  return { ok: true, recipient: { kind: 'stored', to } };
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

/** Whether a recipient as typed so far will go by SMS, for choosing which counter to show. */
export function looksLikeSms(raw: string): boolean {
  const to = raw.trim();
  return to === '' || isPhoneNumber(to) || (PHONE_LIKE.test(to) && /\d/.test(to));
}
