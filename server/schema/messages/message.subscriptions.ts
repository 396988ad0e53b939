import { builder } from '../builder.ts';
import { assertUuid, notFound } from '../../lib/errors.ts';
import { parseCursor, type MessageUpdateEvent } from '../../modules/realtime/index.ts';
import { Message } from './message.type.ts';

const ChangeAction = builder.enumType('ChangeAction', { values: ['INSERT', 'UPDATE', 'DELETE'] as const });

const MessageUpdate = builder.objectRef<MessageUpdateEvent>('MessageUpdate').implement({
  description: 'One change to one message.',
  fields: (t) => ({
    action: t.expose('action', { type: ChangeAction }),
    cursor: t.exposeString('cursor', { description: "The change's position in the feed; it only grows." }),
    conversationId: t.exposeID('conversationId'),
    messageId: t.exposeID('messageId'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    message: t.field({
      type: Message,
      nullable: true,
      description: 'The message after the change; null after DELETE.',
      resolve: (e) => e.message,
    }),
  }),
});

builder.subscriptionField('messageUpdated', (t) =>
  t.field({
    type: MessageUpdate,
    description:
      'Every change to a message, everywhere or in one conversation. With `after` (a `cursor` seen before), every change since then comes first, then live ones: none missed, none twice. A cursor older than the retention period gets CURSOR_EXPIRED.',
    args: {
      conversationId: t.arg.id(),
      after: t.arg.string({ description: 'Resume after this cursor.' }),
    },
    subscribe: async (_root, args, ctx) => {
      const only = args.conversationId == null ? undefined : assertUuid(String(args.conversationId), 'conversation');
      if (args.after != null) parseCursor(args.after);
      if (only && !(await ctx.prisma.conversation.findUnique({ where: { id: only }, select: { id: true } }))) {
        throw notFound('conversation', only);
      }
      return ctx.feed.messages({ after: args.after, conversationId: only });
    },
    resolve: (e) => e,
  }),
);
