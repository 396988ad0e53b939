import { builder } from '../builder.ts';
import { authorOf } from '../../modules/access/principal.ts';
import { UserError } from '../errors.ts';
import type { SendResult } from '../../modules/messages/messages.service.ts';
import { Message } from './message.type.ts';
import { ScheduledMessage } from '../scheduling/scheduled.operations.ts';

export const SendChannel = builder.enumType('SendChannel', {
  description: 'The channels a phone number can be written to on.',
  values: {
    SMS: { description: 'A text message.' },
    WHATSAPP: { description: 'WhatsApp, when WHATSAPP_FROM is set up.' },
  },
});

const ContentVariableInput = builder.inputType('ContentVariableInput', {
  description: "A value for one blank of a template, e.g. `{ name: \"1\", value: \"Dana\" }` for {{1}}.",
  fields: (t) => ({
    name: t.string({ required: true }),
    value: t.string({ required: true, description: 'At most 1024 characters.' }),
  }),
});

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    to: t.string({
      description:
        'An E.164 phone number (sent by SMS), "whatsapp:" and a number (sent on WhatsApp), a contact\'s name (their number), or any other name (stored only). Not needed when replying in a conversation.',
    }),
    conversationId: t.id({ description: 'Reply in this conversation: from our side of it to the other participant.' }),
    channel: t.field({
      type: SendChannel,
      description:
        "Write a phone number on this channel: WHATSAPP to \"+15551234567\" goes to whatsapp:+15551234567, SMS to a WhatsApp address texts the number. In a conversation on the other channel, it goes to that channel's conversation with the same number. `CHANNEL_UNAVAILABLE` when WhatsApp is not set up.",
    }),
    body: t.string({ description: '1 to 1600 characters. Not needed with `contentSid`: the template is the text.' }),
    contentSid: t.string({
      description:
        'Send this approved WhatsApp template (`messageTemplates`) instead of free text: the only kind allowed more than 24 hours after the customer last wrote. `INVALID_TEMPLATE` for an id with no approved template, a blank left empty or one it does not have.',
    }),
    contentVariables: t.field({ type: [ContentVariableInput], description: "The template's blanks, each filled in." }),
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
      'Sends a message: by SMS when `to` is a phone number, on WhatsApp to "whatsapp:+…" (or with `channel: WHATSAPP`), stored only when it is a name. With `sendAt`, later. A message in quiet hours (SMS_QUIET_HOURS) is refused with `QUIET_HOURS` and `availableAt`, unless it replies to a message received in the last hour, or `deferIfQuiet` schedules it. On WhatsApp, free text more than 24 hours after the customer last wrote is refused with `OUTSIDE_SESSION_WINDOW`: send a template (`contentSid`).',
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.messages.send({ ...input, conversationId: input.conversationId == null ? null : String(input.conversationId) }, authorOf(ctx.principal)),
  }),
);
