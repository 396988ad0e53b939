import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import { insertMedia } from '../../db/tables/message-media.ts';
import { insertInbound } from '../../db/tables/messages.ts';
import { isWhatsApp, maskPhone, numberOf } from '../../lib/phone.ts';
import { linkChannelAddress } from '../../db/tables/contacts.ts';
import { markOptedOut } from '../contacts/contacts.service.ts';
import { ensureConversation, reopenConversation } from '../conversations/conversations.service.ts';
import type { InboundMessage, MessageChannel } from './channel.ts';

/**
 * Stores an inbound message in the conversation of (from, to), with its media, and records what it
 * says about consent. Providers retry a webhook they did not see answered, so the provider's id is
 * the key: the same one twice is stored once. Returns the message id, or undefined for a repeat.
 */
export async function receiveInbound(db: Database, channel: MessageChannel, inbound: InboundMessage, log: Logger): Promise<string | undefined> {
  const { providerSid: sid, from, to, body, media, optOut: intent } = inbound;
  // Twilio posts a number's messages to the URL set on it, whatever the channel: a "whatsapp:"
  // sender arriving at the SMS webhook is still a WhatsApp message, and kept as one.
  if (isWhatsApp(from)) channel = 'WHATSAPP';
  const messageId = await db.transaction(async (tx) => {
    const id = await ensureConversation(tx, to, from);
    const stored = await insertInbound(tx, { conversationId: id, from, to, body, channel, providerSid: sid });
    if (!stored) return undefined;
    if (channel === 'WHATSAPP') await linkChannelAddress(tx, from, numberOf(from), inbound.profileName);
    await insertMedia(tx, stored, media);
    if (intent !== undefined) await markOptedOut(tx, from, intent, intent ? 'STOP_REPLY' : null);
    // A conversation marked done comes back to the open list when the contact writes again.
    await reopenConversation(tx, id);
    return stored;
  });
  if (!messageId) log.info({ providerSid: sid }, 'repeated inbound webhook ignored');
  else if (intent !== undefined) log.info({ from: maskPhone(from), optedOut: intent }, intent ? 'number opted out' : 'number opted back in');
  return messageId;
}
