import type { SenderDefaults } from '../../config.ts';
import type { Sql } from '../../db/database.ts';
import { lastInboundAt } from '../../db/tables/messages.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { formatForPeople, numberOf } from '../../lib/phone.ts';
import { isStorable } from '../../lib/text.ts';
import type { Channel, MessageTemplate } from '../channels/channel.ts';
import { blanksOf, fillTemplate } from '../channels/twilio-whatsapp/templates.ts';

/**
 * Our sender on a provider's channel (TWILIO_PHONE_NUMBER's number, WHATSAPP_FROM's), or
 * CHANNEL_UNAVAILABLE when it has none: WhatsApp is set up exactly when it has a sender (the
 * server makes the channel then, server/app.ts). One answer for sending and for the composer.
 */
export function senderOn(channel: 'SMS' | 'WHATSAPP', senders: SenderDefaults): { from: string } | { error: UserErrorShape } {
  const from = channel === 'WHATSAPP' ? senders.whatsappFrom : senders.smsFrom;
  if (from) return { from };
  return { error: userError('to', 'CHANNEL_UNAVAILABLE', 'WhatsApp is not set up on this server (WHATSAPP_FROM); send by SMS instead.') };
}

/** A template as a send names it: Twilio's ContentSid, and a value for each blank. */
export interface TemplateChoice {
  contentSid?: string | null;
  contentVariables?: readonly { name: string; value: string }[] | null;
}

export type ChosenTemplate = { sid: string; variables: Record<string, string>; body: string };

const MAX_VARIABLE_CHARS = 1024;

/**
 * The approved template a send names, with its text filled in (what the customer reads and what
 * the thread shows), or INVALID_TEMPLATE: an id the account has no approved template for, a
 * blank left empty, or a value for a blank it does not have. Nothing is sent on a refusal.
 */
export async function chooseTemplate(channel: Channel | undefined, choice: TemplateChoice): Promise<ChosenTemplate | { errors: UserErrorShape[] }> {
  const sid = choice.contentSid ?? '';
  if (!channel?.templates) return { errors: [userError('contentSid', 'INVALID_TEMPLATE', 'Templates are sent on WhatsApp, which is not set up here.')] };
  let templates: MessageTemplate[];
  try {
    templates = await channel.templates();
  } catch (err) {
    return { errors: [userError('contentSid', 'CHANNEL_UNAVAILABLE', `The templates could not be read from the provider (${(err as Error).message}); try again.`)] };
  }
  const template = templates.find((t) => t.sid === sid);
  if (!template) return { errors: [userError('contentSid', 'INVALID_TEMPLATE', `No approved template has the id "${isStorable(sid) ? sid : '?'}".`)] };
  const given = new Map<string, string>();
  const errors: UserErrorShape[] = [];
  const blanks = blanksOf(template.body);
  for (const { name, value } of choice.contentVariables ?? []) {
    if (!blanks.includes(name)) errors.push(userError('contentVariables', 'INVALID_TEMPLATE', `The template "${template.name}" has no blank {{${isStorable(name) ? name : '?'}}}.`));
    else if (!isStorable(value) || [...value].length > MAX_VARIABLE_CHARS) errors.push(userError('contentVariables', 'INVALID_TEMPLATE', `The value for {{${name}}} must be text of at most ${MAX_VARIABLE_CHARS} characters.`));
    else given.set(name, value.trim());
  }
  const empty = blanks.filter((name) => !given.get(name));
  if (empty.length) errors.push(userError('contentVariables', 'INVALID_TEMPLATE', `Fill in ${empty.map((n) => `{{${n}}}`).join(', ')} of the template "${template.name}".`));
  if (errors.length) return { errors };
  const variables = Object.fromEntries(blanks.map((name) => [name, given.get(name)!]));
  return { sid: template.sid, variables, body: fillTemplate(template.body, variables) };
}

/** When free text may no longer be sent: the customer's last message and the channel's window; null when they never wrote. */
export function windowEndAfter(lastInbound: Date | undefined, windowMs: number): Date | null {
  return lastInbound ? new Date(lastInbound.getTime() + windowMs) : null;
}

/** The window's end in one conversation. */
export async function sessionWindowEnd(sql: Pick<Sql, 'query'>, conversationId: string, windowMs: number): Promise<Date | null> {
  return windowEndAfter(await lastInboundAt(sql, conversationId), windowMs);
}

/** OUTSIDE_SESSION_WINDOW: free text on WhatsApp more than a day after the customer last wrote. */
export function outsideWindow(to: string, endedAt: Date | null): UserErrorShape {
  const who = formatForPeople(numberOf(to));
  const why = endedAt ? `it is more than 24 hours since ${who} last wrote` : `${who} has not written on WhatsApp yet`;
  return userError('body', 'OUTSIDE_SESSION_WINDOW', `WhatsApp allows free text only within 24 hours of the customer's last message, and ${why}: send an approved template instead.`);
}
