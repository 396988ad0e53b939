import type { Sql } from '../../db/database.ts';
import { participantsOf } from '../../db/tables/conversations.ts';
import { formatForPeople, isE164 } from '../../lib/phone.ts';
import { fillReply, firstWord, type ReplyValues } from '../../lib/reply-variables.ts';
import { contactStates } from '../contacts/contacts.service.ts';

type Query = Pick<Sql, 'query'>;

/**
 * The values of a reply's variables in a conversation, for the operator sending it: the contact is
 * the participant that is not ours (a number's contact name; a stored-only conversation's other
 * name). Undefined when there is no such conversation. Without a conversation (a new message),
 * only the operator's.
 */
export async function replyValues(sql: Query, conversationId: string | null, operatorName: string | null): Promise<ReplyValues | undefined> {
  const values: ReplyValues = { 'operator.name': operatorName, 'operator.first_name': firstWord(operatorName) };
  if (conversationId === null) return values;
  const c = await participantsOf(sql, conversationId);
  if (!c) return undefined;
  // Where neither side is known to be ours (imported data), there is no one contact to name.
  if (c.ours === null) return values;
  const other = c.ours === c.participantA ? c.participantB : c.participantA;
  const [contact] = await contactStates(sql, [other]);
  const name = contact?.name ?? (isE164(other) ? null : other);
  return { ...values, 'contact.name': name, 'contact.first_name': firstWord(name), 'contact.phone': isE164(other) ? formatForPeople(other) : null };
}

export async function filledReply(sql: Query, body: string, conversationId: string | null, operatorName: string | null): Promise<string | undefined> {
  const values = await replyValues(sql, conversationId, operatorName);
  return values && fillReply(body, values);
}
