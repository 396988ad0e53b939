import { builder } from '../builder.ts';
import { UserError } from '../errors.ts';
import { authorOf } from '../../modules/access/principal.ts';
import type { EditResult } from '../../modules/scheduling/schedule.ts';
import { pendingScheduled } from '../../db/tables/scheduled-messages.ts';
import { Message, MessageChannel, Sender } from '../messages/message.type.ts';

const ScheduledMessageStatus = builder.enumType('ScheduledMessageStatus', {
  values: {
    SCHEDULED: { description: 'Waiting for `sendAt`; can be changed or cancelled.' },
    SENT: { description: 'Sent: `message` is what went.' },
    FAILED: { description: 'Could not be sent when due (`errorCode`, `errorMessage`); shown until cancelled.' },
    CANCELLED: { description: 'Cancelled before it was due.' },
  } as const,
});

export const ScheduledMessage = builder.prismaObject('ScheduledMessage', {
  description: 'A message to send later (`sendMessage` with `sendAt`). When due it is sent through the same path as any send, once.',
  fields: (t) => ({
    id: t.exposeID('id'),
    conversationId: t.exposeID('conversationId'),
    conversation: t.relation('conversation'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    body: t.exposeString('body'),
    channel: t.field({ type: MessageChannel, resolve: (s) => s.channel }),
    sendAt: t.expose('sendAt', { type: 'DateTime', description: 'When it goes (moved by quiet hours or the rate limit when due, if they say so then).' }),
    status: t.field({ type: ScheduledMessageStatus, resolve: (s) => s.status as 'SCHEDULED' | 'SENT' | 'FAILED' | 'CANCELLED' }),
    errorCode: t.exposeString('errorCode', { nullable: true, description: 'Why it could not be sent: a `sendMessage` error code (`OPTED_OUT`, …) or `AUTHOR_REVOKED`.' }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    message: t.field({
      type: Message,
      nullable: true,
      description: 'The message it became, once sent.',
      resolve: (s, _args, ctx) => (s.messageId ? ctx.prisma.message.findUnique({ where: { id: s.messageId } }) : null),
    }),
    sentBy: t.field({ type: Sender, description: 'Who scheduled it: the author of the message it becomes.', resolve: (s) => ({ kind: s.sentByKind, name: s.sentByName, id: s.sentById }) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField('Conversation', 'scheduledMessages', (t) =>
  t.field({
    type: [ScheduledMessage],
    description: 'Messages waiting to be sent in it, and those that could not be sent when due (until cancelled), by `sendAt`.',
    resolve: (c, _args, ctx) => pendingScheduled(ctx.db, c.id),
  }),
);

builder.prismaObjectField('Conversation', 'scheduledChangedAt', (t) =>
  t.expose('scheduledChangedAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When its scheduled messages last changed (scheduled, changed, sent, failed, cancelled): a window reads `scheduledMessages` again when this moves in a `conversationUpdated` event.',
  }),
);

const ScheduledMessagePayload = builder.objectRef<EditResult>('ScheduledMessagePayload').implement({
  fields: (t) => ({
    scheduled: t.field({ type: ScheduledMessage, nullable: true, resolve: (r) => r.scheduled }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

const UpdateScheduledMessageInput = builder.inputType('UpdateScheduledMessageInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    body: t.string({ description: 'The new text (omitted: unchanged).' }),
    sendAt: t.field({ type: 'DateTime', description: 'The new time (omitted: unchanged).' }),
  }),
});

builder.mutationField('updateScheduledMessage', (t) =>
  t.field({
    type: ScheduledMessagePayload,
    description:
      'Changes the text or the time of a message still waiting, checked as a send is (quiet hours too). Operators may change any; a program only its own. `INVALID_ID`, `NOT_FOUND`, `ALREADY_SENT` (being sent, sent or failed), `EMPTY_BODY`, `BODY_TOO_LONG`, `INVALID_SEND_AT`, `QUIET_HOURS`.',
    args: { input: t.arg({ type: UpdateScheduledMessageInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.messages.changeScheduled(authorOf(ctx.principal), String(input.id), { body: input.body, sendAt: input.sendAt }),
  }),
);

builder.mutationField('cancelScheduledMessage', (t) =>
  t.field({
    type: ScheduledMessagePayload,
    description: 'Cancels a message still waiting, or dismisses one that could not be sent. Operators may cancel any; a program only its own. `INVALID_ID`, `NOT_FOUND`, `ALREADY_SENT`.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.messages.changeScheduled(authorOf(ctx.principal), String(id), { cancel: true }),
  }),
);
