import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { maskPhone } from '../../lib/phone.ts';
import { isStorable, storable } from '../../lib/text.ts';
import { markOptedOut } from '../contacts/contacts.service.ts';
import { ensureConversation, reopenConversation } from '../conversations/conversations.service.ts';
import { optOutIntent } from './opt-out.ts';

/** An inbound SMS/MMS as Twilio posts it (form fields, by Twilio's names). */
export type InboundParams = Record<string, string>;

export class InboundError extends Error {}

const MAX_MEDIA = 10; // Twilio's own limit per MMS

/**
 * Stores an inbound SMS in the conversation of (From, To), with its media. Twilio retries a
 * webhook it did not see answered, so the MessageSid is the key: the same one twice is stored once.
 * Returns the message id, or undefined for a repeat.
 */
export async function receiveInbound(db: Database, p: InboundParams, log: Logger): Promise<string | undefined> {
  const sid = p.MessageSid ?? p.SmsSid;
  const from = p.From?.trim();
  const to = p.To?.trim();
  if (!sid || !from || !to) throw new InboundError('MessageSid, From and To are required');
  if (![sid, from, to].every(isStorable)) throw new InboundError('MessageSid, From and To must be text without NUL');
  // A text someone sent is kept even if it holds what the database cannot: those characters only.
  const body = storable(p.Body ?? '');
  if (body !== (p.Body ?? '')) log.warn({ providerSid: sid }, 'an inbound SMS held characters that cannot be stored; they were replaced');
  const count = Math.min(Number.parseInt(p.NumMedia ?? '0', 10) || 0, MAX_MEDIA);
  const media = Array.from({ length: count }, (_, i) => ({ url: p[`MediaUrl${i}`], contentType: p[`MediaContentType${i}`] ?? null })).filter(
    (m): m is { url: string; contentType: string | null } => Boolean(m.url) && isStorable(m.url!) && isStorable(m.contentType ?? ''),
  );

  const intent = optOutIntent(body, p.OptOutType);
  const messageId = await db.transaction(async (tx) => {
    const id = await ensureConversation(tx, to, from);
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO "messages" ("conversation_id", "from", "to", "body", "direction", "channel", "status", "provider_sid", "sent_by_kind", "sent_by_name")
       VALUES ($1, $2, $3, $4, 'INBOUND', 'SMS', 'RECEIVED', $5, 'SMS_CONTACT', $2)
       ON CONFLICT ("provider_sid") DO NOTHING RETURNING "id"`,
      [id, from, to, body, sid],
    );
    if (!row) return undefined;
    for (const [i, m] of media.entries()) {
      await tx.query(`INSERT INTO "message_media" ("message_id", "position", "url", "content_type") VALUES ($1, $2, $3, $4)`, [
        row.id,
        i,
        m.url,
        m.contentType,
      ]);
    }
    if (intent !== undefined) await markOptedOut(tx, from, intent, intent ? 'STOP_REPLY' : null);
    // A conversation marked done comes back to the open list when the contact writes again.
    await reopenConversation(tx, id);
    return row.id;
  });
  if (!messageId) log.info({ providerSid: sid }, 'repeated inbound webhook ignored');
  else if (intent !== undefined) log.info({ from: maskPhone(from), optedOut: intent }, intent ? 'number opted out' : 'number opted back in');
  return messageId;
}
