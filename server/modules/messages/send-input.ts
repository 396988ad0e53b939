import { z } from 'zod';
import { isE164, readAddress, WHATSAPP_PREFIX, type Address, type CountryCode } from '../../lib/phone.ts';
import { isStorable } from '../../lib/text.ts';
import type { UserErrorCode, UserErrorShape } from '../../lib/errors.ts';

export const MAX_BODY_CHARS = 1600;
export const MAX_NAME_CHARS = 100;
export const MAX_IDEMPOTENCY_KEY_CHARS = 255;

// Control characters make names unprintable in every client.
const CONTROL = /[\u0000-\u001f\u007f]/;

export type Route = { channel: 'SMS' | 'WHATSAPP' | 'INTERNAL'; to: string };

/** The channels a message can be sent on by choice (a name is always stored only). */
export type SendChannel = 'SMS' | 'WHATSAPP';

export interface SendInput {
  /** The recipient; given by the conversation when replying in one. */
  to?: string | null;
  body?: string | null;
  from?: string | null;
  idempotencyKey?: string | null;
  /** Reply in this conversation (from our side, to the other). */
  conversationId?: string | null;
  /** Send a phone number's message on this channel: WhatsApp to "+1555…", or SMS to "whatsapp:+1555…". */
  channel?: SendChannel | null;
}

export interface ParsedSend {
  route: Route;
  body: string;
  from: string | undefined;
  idempotencyKey: string | undefined;
}

export interface SendRules {
  /** The country of numbers typed without +country code (SMS_DEFAULT_COUNTRY). */
  defaultCountry?: CountryCode;
  /**
   * `to` and `from` are a conversation's own participants (a reply): taken as stored, E.164 or a
   * name, since a conversation from older data may hold a name that reads like a number.
   */
  stored?: boolean;
}

function issue(issues: UserErrorShape[], field: string, code: UserErrorCode, message: string) {
  issues.push({ field, code, message });
}

function checkName(issues: UserErrorShape[], field: 'to' | 'from', value: string, code: UserErrorCode) {
  if (value.length === 0) issue(issues, field, code, `${field === 'to' ? 'Recipient' : 'Sender'} is required.`);
  else if ([...value].length > MAX_NAME_CHARS) issue(issues, field, code, `A name can be at most ${MAX_NAME_CHARS} characters.`);
  else if (CONTROL.test(value)) issue(issues, field, code, 'A name cannot contain control characters.');
}

const badPhone = (typed: string) =>
  `"${typed.trim()}" is not a phone number Hatch can text: write it with + and the country code, e.g. +15551234567.`;

const fields = z.object({
  to: z.string().nullish().transform((s) => s ?? ''),
  body: z.string().nullish().transform((s) => s ?? ''),
  from: z.string().nullish().transform((s) => s ?? undefined),
  idempotencyKey: z.string().nullish().transform((s) => s ?? undefined),
});

/**
 * Validates a send request and decides its route: a phone number (as people type them: formatted,
 * national in the default country, "tel:", full-width digits) is normalised to E.164 and goes by
 * SMS; any other name is stored only. What Postgres cannot store is refused here, by field.
 */
export function parseSendInput(input: SendInput, rules: SendRules = {}): { ok: true; value: ParsedSend } | { ok: false; errors: UserErrorShape[] } {
  let route: Route | undefined;
  let from: string | undefined;
  const readOne = (typed: string): Address =>
    rules.stored ? (isE164(typed) ? { kind: 'phone', e164: typed } : { kind: 'name', name: typed }) : readAddress(typed, rules.defaultCountry);
  // "whatsapp:" and a number is that number on WhatsApp (Twilio's way of writing it); a number on
  // its own goes by SMS unless `channel` says WhatsApp.
  const read = (typed: string): Address & { whatsapp?: boolean } => {
    const prefixed = /^\s*whatsapp:/i.exec(typed);
    if (!prefixed) return readOne(typed);
    const number = readOne(typed.slice(prefixed[0].length).trim());
    return number.kind === 'phone' ? { ...number, whatsapp: true } : { kind: 'bad-phone' };
  };
  const onChannel = (a: { e164: string; whatsapp?: boolean }): Route => {
    const whatsapp = input.channel ? input.channel === 'WHATSAPP' : a.whatsapp === true;
    return whatsapp ? { channel: 'WHATSAPP', to: `${WHATSAPP_PREFIX}${a.e164}` } : { channel: 'SMS', to: a.e164 };
  };
  // The shape is checked by one schema made once (zod compiles each schema on first use, so one
  // made per request would be compiled per request); the rules that depend on `rules` follow.
  const shape = fields.safeParse(input);
  if (!shape.success) {
    return {
      ok: false,
      errors: shape.error.issues.map((i) => ({ field: i.path.length ? String(i.path[0]) : null, code: 'INVALID_INPUT', message: i.message })),
    };
  }
  const v = shape.data;
  const issues: UserErrorShape[] = [];
  for (const field of ['to', 'body', 'from', 'idempotencyKey'] as const) {
    const value = v[field];
    if (value !== undefined && !isStorable(value)) issue(issues, field, 'INVALID_CHARACTERS', `The ${field} contains characters that cannot be stored (such as NUL).`);
  }
  const to = read(v.to);
  if (to.kind === 'bad-phone') issue(issues, 'to', 'INVALID_PHONE_NUMBER', badPhone(v.to));
  else if (to.kind === 'phone') route = onChannel(to);
  else if (isStorable(to.name)) {
    checkName(issues, 'to', to.name, 'INVALID_RECIPIENT');
    if (input.channel) issue(issues, 'to', 'INVALID_RECIPIENT', `Only a phone number can be sent by ${input.channel === 'SMS' ? 'SMS' : 'WhatsApp'}; "${to.name}" is a name.`);
    route = { channel: 'INTERNAL', to: to.name };
  }

  if (v.body.trim().length === 0) issue(issues, 'body', 'EMPTY_BODY', 'Message body cannot be empty.');
  else if ([...v.body].length > MAX_BODY_CHARS) issue(issues, 'body', 'BODY_TOO_LONG', `Message body can be at most ${MAX_BODY_CHARS} characters.`);

  if (v.from !== undefined && isStorable(v.from)) {
    const sender = read(v.from);
    if (to.kind === 'phone' || to.kind === 'bad-phone') {
      if (sender.kind === 'phone') from = route?.channel === 'WHATSAPP' ? `${WHATSAPP_PREFIX}${sender.e164}` : sender.e164;
      else issue(issues, 'from', 'INVALID_SENDER', 'An SMS must be sent from a phone number, such as +15551234567.');
    } else if (sender.kind === 'name') {
      checkName(issues, 'from', sender.name, 'INVALID_SENDER');
      from = sender.name;
    } else {
      from = sender.kind === 'phone' ? sender.e164 : v.from.trim();
      if (sender.kind === 'bad-phone') issue(issues, 'from', 'INVALID_SENDER', badPhone(v.from));
    }
  }

  const key = v.idempotencyKey;
  if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_CHARS)) {
    issue(issues, 'idempotencyKey', 'INVALID_IDEMPOTENCY_KEY', `An idempotency key must be 1 to ${MAX_IDEMPOTENCY_KEY_CHARS} characters.`);
  }
  if (issues.length) return { ok: false, errors: issues };
  return { ok: true, value: { route: route!, body: v.body, from, idempotencyKey: v.idempotencyKey } };
}

/**
 * IDEMPOTENCY_KEY_REUSED when a key comes back with a different message than the one it first
 * made (a client bug); undefined when it is the same message, whose first answer is replayed.
 */
export function keyReusedFor(first: { from: string; to: string; body: string }, again: { from: string; to: string; body: string }): UserErrorShape | undefined {
  if (first.from === again.from && first.to === again.to && first.body === again.body) return undefined;
  return { field: 'idempotencyKey', code: 'IDEMPOTENCY_KEY_REUSED', message: 'This idempotency key was already used for a different message.' };
}
