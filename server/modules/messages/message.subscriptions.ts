import { filter, pipe } from 'graphql-yoga';
import { builder } from '../../schema/builder.ts';
import { notFound } from '../../schema/errors.ts';
import { assertUuid } from '../../schema/ids.ts';
import { FEED_BATCH, messageChangesAfter } from '../realtime/feed-rows.ts';
import type { MessageUpdateEvent } from '../realtime/pubsub.ts';
import { cursorExpired, parseCursor, prunedThrough, resumeAfter } from '../realtime/resume.ts';
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
      const after = args.after == null ? undefined : parseCursor(args.after);
      if (only && !(await ctx.prisma.conversation.findUnique({ where: { id: only }, select: { id: true } }))) {
        throw notFound('conversation', only);
      }
      if (after !== undefined && after < (await prunedThrough(ctx.db))) throw cursorExpired();
      const live = ctx.pubsub.subscribe('messageUpdated');
      const mine = only ? pipe(live, filter((e) => e.conversationId === only)) : live;
      if (after === undefined) return mine;
      return resumeAfter(after, mine, (position) => messageChangesAfter(ctx.db, position, only), FEED_BATCH, async () => after >= (await prunedThrough(ctx.db)));
    },
    resolve: (e) => e,
  }),
);
