import { builder } from '../builder.ts';
import { Node } from '../node/node.ts';
import { smsSegments } from '../../modules/channels/segments.ts';
import { loadContact } from '../../modules/contacts/contact-loader.ts';
import { optOutText } from '../../modules/contacts/opt-out-text.ts';

export const MessageDirection = builder.enumType('MessageDirection', { values: ['INBOUND', 'OUTBOUND'] as const });
export const MessageChannel = builder.enumType('MessageChannel', {
  values: {
    SMS: { description: 'A text message through the SMS provider.' },
    INTERNAL: { description: 'Stored in Hatch only; nothing is sent anywhere.' },
    WHATSAPP: { description: 'A WhatsApp message through the provider: addresses are written "whatsapp:+15551234567".' },
  },
});
export const MessageStatus = builder.enumType('MessageStatus', {
  values: {
    QUEUED: { description: 'Saved; waiting to be handed to the SMS provider.' },
    SENDING: { description: 'The SMS provider has it and is sending it.' },
    SENT: { description: 'The carrier has it.' },
    DELIVERED: { description: 'The handset has it.' },
    READ: { description: 'The recipient opened it (WhatsApp read receipts).' },
    UNDELIVERED: { description: 'The carrier could not deliver it; see errorCode and errorMessage.' },
    FAILED: { description: 'It could not be sent; see errorCode and errorMessage.' },
    RECEIVED: { description: 'An inbound message.' },
    STORED: { description: 'An INTERNAL message: saved, and that is all it needs.' },
  },
});

const SenderKind = builder.enumType('SenderKind', {
  values: {
    OPERATOR: { description: 'An operator signed in to the inbox.' },
    TOKEN: { description: 'A program with an API token.' },
    SMS_CONTACT: { description: 'The contact, by SMS.' },
    SYSTEM: { description: 'Hatch itself, or a message from before authors were recorded.' },
  },
});

interface SenderShape {
  kind: 'OPERATOR' | 'TOKEN' | 'SMS_CONTACT' | 'SYSTEM';
  name: string | null;
  id: string | null;
}

export const Sender = builder.objectRef<SenderShape>('Sender').implement({
  description: 'Who wrote a message.',
  fields: (t) => ({
    kind: t.expose('kind', { type: SenderKind }),
    name: t.exposeString('name', { nullable: true, description: "The operator's or token's name, or the contact's address; null when not recorded." }),
    operatorId: t.id({
      nullable: true,
      description: "The operator's id (as `viewer.operatorId` names oneself), so a page can tell one's own messages from a colleague's; null for anyone else.",
      resolve: (s) => (s.kind === 'OPERATOR' ? s.id : null),
    }),
  }),
});

export const SmsEncoding = builder.enumType('SmsEncoding', {
  values: {
    GSM7: { description: 'The GSM 7-bit alphabet: 160 characters in one SMS, 153 per part beyond.' },
    UCS2: { description: 'UCS-2 (any character outside GSM-7, such as emoji): 70 in one SMS, 67 per part beyond.' },
  },
});

// Registered for `Message.media`, which the Prisma plugin resolves by the model's name.
builder.prismaObject('MessageMedia', {
  description: 'An attachment of an inbound MMS.',
  fields: (t) => ({
    url: t.exposeString('url'),
    contentType: t.exposeString('contentType', { nullable: true }),
  }),
});

const StatusEvent = builder.prismaObject('MessageStatusEvent', {
  description: 'A status the SMS provider reported, as it said it.',
  fields: (t) => ({
    status: t.exposeString('status', { description: "The provider's word, e.g. sent, delivered, undelivered; kept even when Hatch does not know it." }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
  }),
});

export const Message = builder.prismaObject('Message', {
  interfaces: [Node],
  fields: (t) => ({
    id: t.exposeID('id'),
    conversationId: t.exposeID('conversationId'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    body: t.exposeString('body'),
    direction: t.expose('direction', { type: MessageDirection }),
    channel: t.expose('channel', { type: MessageChannel }),
    status: t.expose('status', { type: MessageStatus }),
    providerSid: t.exposeString('providerSid', { nullable: true, description: "The SMS provider's id (Twilio's MessageSid)." }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    errorMessage: t.string({
      nullable: true,
      description: 'Why it failed, in words for people. An opt-out (21610) says what actually happened: a STOP reply, Twilio refusing, or its test number.',
      resolve: async (m, _args, ctx) => {
        if (m.errorCode !== '21610') return m.errorMessage;
        const contact = await loadContact(ctx, m.to);
        return contact.optedOut && contact.optOutReason ? optOutText(m.to, contact.optOutReason) : m.errorMessage;
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    sentBy: t.field({ type: Sender, resolve: (m) => ({ kind: m.sentByKind, name: m.sentByName, id: m.sentById }) }),
    segments: t.int({ resolve: (m) => smsSegments(m.body).segments }),
    encoding: t.field({ type: SmsEncoding, resolve: (m) => smsSegments(m.body).encoding }),
    media: t.relation('media', { query: { orderBy: { position: 'asc' } } }),
    statusHistory: t.field({
      type: [StatusEvent],
      description: 'Every status report for an outbound SMS, oldest first.',
      resolve: (m, _args, ctx) =>
        m.providerSid ? ctx.prisma.messageStatusEvent.findMany({ where: { providerSid: m.providerSid }, orderBy: { id: 'asc' } }) : [],
    }),
  }),
});
