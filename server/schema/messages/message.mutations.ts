import { builder } from '../builder.ts';
import { authorOf } from '../../modules/access/principal.ts';
import { UserError } from '../errors.ts';
import type { SendResult } from '../../modules/messages/messages.service.ts';
import { Message } from './message.type.ts';

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    to: t.string({ description: 'An E.164 phone number (sent by SMS) or a name (stored only). Not needed when replying in a conversation.' }),
    conversationId: t.id({ description: 'Reply in this conversation: from our side of it to the other participant.' }),
    body: t.string({ required: true, description: '1 to 1600 characters.' }),
    from: t.string({
      description: "Defaults to the conversation's side of ours, else the configured SMS number, or the operator name for stored-only messages.",
    }),
    idempotencyKey: t.string({ description: 'Sending again with the same key returns the first message and sends nothing.' }),
  }),
});

const SendMessagePayload = builder.objectRef<SendResult>('SendMessagePayload').implement({
  fields: (t) => ({
    message: t.field({ type: Message, nullable: true, resolve: (r) => r.message }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: SendMessagePayload,
    description: 'Sends a message: by SMS when `to` is a phone number, stored only when it is a name.',
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.messages.send({ ...input, conversationId: input.conversationId == null ? null : String(input.conversationId) }, authorOf(ctx.principal)),
  }),
);
