import { builder } from '../../schema/builder.ts';

export const MessageDirection = builder.enumType('MessageDirection', { values: ['INBOUND', 'OUTBOUND'] as const });
export const MessageChannel = builder.enumType('MessageChannel', {
  values: {
    SMS: { description: 'A text message through the SMS provider.' },
    INTERNAL: { description: 'Stored in Hatch only; nothing is sent anywhere.' },
  },
});
export const MessageStatus = builder.enumType('MessageStatus', {
  values: {
    QUEUED: { description: 'Saved; waiting to be handed to the SMS provider.' },
    SENDING: { description: 'The SMS provider has it and is sending it.' },
    SENT: { description: 'The carrier has it.' },
    DELIVERED: { description: 'The handset has it.' },
    UNDELIVERED: { description: 'The carrier could not deliver it; see errorCode and errorMessage.' },
    FAILED: { description: 'It could not be sent; see errorCode and errorMessage.' },
    RECEIVED: { description: 'An inbound message.' },
    STORED: { description: 'An INTERNAL message: saved, and that is all it needs.' },
  },
});

export const Message = builder.prismaObject('Message', {
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
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
