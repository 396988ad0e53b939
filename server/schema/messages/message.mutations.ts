import { builder } from '../builder.ts';
import { authorOf } from '../../modules/access/principal.ts';
import { UserError } from '../errors.ts';
import type { SendResult } from '../../modules/messages/messages.service.ts';
import { Message } from './message.type.ts';
import { ScheduledMessage } from '../scheduling/scheduled.operations.ts';

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    to: t.string({ description: 'An E.164 phone number (sent by SMS) or a name (stored only). Not needed when replying in a conversation.' }),
    conversationId: t.id({ description: 'Reply in this conversation: from our side of it to the other participant.' }),
    body: t.string({ required: true, description: '1 to 1600 characters.' }),
    from: t.string({
      description: "Defaults to the conversation's side of ours, else the configured SMS number, or the operator name for stored-only messages.",
    }),
    idempotencyKey: t.string({ description: 'Sending again with the same key returns the first message and sends nothing.' }),
    sendAt: t.field({
      type: 'DateTime',
      description: 'Send it then rather than now (up to a year ahead): the payload has `scheduled` instead of `message`. Every check runs again when it is due. `INVALID_SEND_AT` for a time past or too far.',
    }),
    deferIfQuiet: t.boolean({
      description: 'When it would go in quiet hours (SMS_QUIET_HOURS, in the recipient\'s time zone): schedule it for when they end instead of refusing it with `QUIET_HOURS`.',
    }),
  }),
});

const SendMessagePayload = builder.objectRef<SendResult>('SendMessagePayload').implement({
  fields: (t) => ({
    message: t.field({ type: Message, nullable: true, resolve: (r) => r.message }),
    scheduled: t.field({ type: ScheduledMessage, nullable: true, description: 'Set instead of `message` when it was scheduled.', resolve: (r) => r.scheduled ?? null }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: SendMessagePayload,
    description:
      'Sends a message: by SMS when `to` is a phone number, stored only when it is a name. With `sendAt`, later. An SMS in quiet hours (SMS_QUIET_HOURS) is refused with `QUIET_HOURS` and `availableAt`, unless it replies to a message received in the last hour, or `deferIfQuiet` schedules it.',
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.messages.send({ ...input, conversationId: input.conversationId == null ? null : String(input.conversationId) }, authorOf(ctx.principal)),
  }),
);
