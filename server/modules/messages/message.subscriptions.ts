import { filter, pipe } from 'graphql-yoga';
import { builder } from '../../schema/builder.ts';
import { notFound } from '../../schema/errors.ts';
import { assertUuid } from '../../schema/ids.ts';
import type { MessageUpdateEvent } from '../realtime/pubsub.ts';
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
    description: 'Every change to a message, everywhere or in one conversation.',
    args: { conversationId: t.arg.id() },
    subscribe: async (_root, args, ctx) => {
      const only = args.conversationId == null ? undefined : assertUuid(String(args.conversationId), 'conversation');
      if (only && !(await ctx.prisma.conversation.findUnique({ where: { id: only }, select: { id: true } }))) {
        throw notFound('conversation', only);
      }
      const all = ctx.pubsub.subscribe('messageUpdated');
      return only ? pipe(all, filter((e) => e.conversationId === only)) : all;
    },
    resolve: (e) => e,
  }),
);
