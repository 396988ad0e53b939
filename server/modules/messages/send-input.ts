import { z } from 'zod';
import { isE164 } from '../../lib/phone.ts';
import type { UserErrorShape } from '../../schema/errors.ts';

export const MAX_BODY_CHARS = 1600;
export const MAX_NAME_CHARS = 100;
export const MAX_IDEMPOTENCY_KEY_CHARS = 255;

/** Stable codes a client can branch on; the message beside each is for people. */
export type SendErrorCode =
  | 'INVALID_PHONE_NUMBER'
  | 'INVALID_RECIPIENT'
  | 'EMPTY_BODY'
  | 'BODY_TOO_LONG'
  | 'INVALID_SENDER'
  | 'INVALID_IDEMPOTENCY_KEY'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'OPTED_OUT';

// Digits with phone punctuation and no letters: someone meant a phone number, so a malformed one
// is an error rather than a contact name ("555-1234" must not silently become a stored-only chat).
const PHONE_LIKE = /^[\d\s+().\-]+$/;
// Control characters make names unprintable in every client.
const CONTROL = /[\u0000-\u001f\u007f]/;

export type Route = { channel: 'SMS'; to: string } | { channel: 'INTERNAL'; to: string };

export interface SendInput {
  /** The recipient; given by the conversation when replying in one. */
  to?: string | null;
  body: string;
  from?: string | null;
  idempotencyKey?: string | null;
  /** Reply in this conversation (from our side, to the other). */
  conversationId?: string | null;
}

export interface ParsedSend {
  route: Route;
  body: string;
  from: string | undefined;
  idempotencyKey: string | undefined;
}

function issue(ctx: z.RefinementCtx, field: string, code: SendErrorCode, message: string) {
  ctx.addIssue({ code: 'custom', path: [field], message, params: { code } });
}

function checkName(ctx: z.RefinementCtx, field: 'to' | 'from', value: string, code: SendErrorCode) {
  if (value.length === 0) issue(ctx, field, code, `${field === 'to' ? 'Recipient' : 'Sender'} is required.`);
  else if ([...value].length > MAX_NAME_CHARS) issue(ctx, field, code, `A name can be at most ${MAX_NAME_CHARS} characters.`);
  else if (CONTROL.test(value)) issue(ctx, field, code, 'A name cannot contain control characters.');
}

const schema = z
  .object({
    to: z.string().nullish().transform((s) => (s ?? '').trim()),
    body: z.string(),
    from: z.string().nullish().transform((s) => (s == null ? undefined : s.trim())),
    idempotencyKey: z.string().nullish().transform((s) => s ?? undefined),
  })
  .superRefine((input, ctx) => {
    const sms = isE164(input.to);
    if (!sms && input.to !== '' && PHONE_LIKE.test(input.to) && /\d/.test(input.to)) {
      issue(ctx, 'to', 'INVALID_PHONE_NUMBER', 'Phone numbers must be in E.164 form: + then 10 to 15 digits, no spaces (e.g. +15551234567).');
    } else if (!sms) {
      checkName(ctx, 'to', input.to, 'INVALID_RECIPIENT');
    }

    if (input.body.trim().length === 0) issue(ctx, 'body', 'EMPTY_BODY', 'Message body cannot be empty.');
    else if ([...input.body].length > MAX_BODY_CHARS) {
      issue(ctx, 'body', 'BODY_TOO_LONG', `Message body can be at most ${MAX_BODY_CHARS} characters.`);
    }

    if (input.from !== undefined) {
      if (sms && !isE164(input.from)) issue(ctx, 'from', 'INVALID_SENDER', 'An SMS must be sent from an E.164 phone number.');
      else if (!sms) checkName(ctx, 'from', input.from, 'INVALID_SENDER');
    }

    const key = input.idempotencyKey;
    if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_CHARS)) {
      issue(ctx, 'idempotencyKey', 'INVALID_IDEMPOTENCY_KEY', `An idempotency key must be 1 to ${MAX_IDEMPOTENCY_KEY_CHARS} characters.`);
    }
  });

/** Validates a send request and decides its route: E.164 → SMS, any other name → stored only. */
export function parseSendInput(input: SendInput): { ok: true; value: ParsedSend } | { ok: false; errors: UserErrorShape[] } {
  const result = schema.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map((i) => ({
        field: i.path.length ? String(i.path[0]) : null,
        code: (i as { params?: { code?: string } }).params?.code ?? 'INVALID_INPUT',
        message: i.message,
      })),
    };
  }
  const v = result.data;
  return {
    ok: true,
    value: {
      route: { channel: isE164(v.to) ? 'SMS' : 'INTERNAL', to: v.to },
      body: v.body,
      from: v.from,
      idempotencyKey: v.idempotencyKey,
    },
  };
}
