import type { Conversation as ConversationRow } from '../../generated/prisma/client.ts';
import { builder, isUuid } from '../../schema/builder.ts';
import { UserError } from '../../schema/user-error.ts';
import type { UserErrorShape } from '../messages/send-input.ts';
import { Conversation } from './conversation.type.ts';

interface MarkReadResult {
  conversation: ConversationRow | null;
  errors: UserErrorShape[];
}

const MarkConversationReadPayload = builder.objectRef<MarkReadResult>('MarkConversationReadPayload').implement({
  fields: (t) => ({
    conversation: t.field({ type: Conversation, nullable: true, resolve: (r) => r.conversation }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

builder.mutationField('markConversationRead', (t) =>
  t.field({
    type: MarkConversationReadPayload,
    description: 'Sets the unread count to zero. Every open inbox hears of it through `conversationUpdated`.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!isUuid(id)) return { conversation: null, errors: [{ field: 'id', code: 'INVALID_ID', message: `"${id}" is not a conversation id.` }] };
      const rows = await ctx.prisma.conversation.updateManyAndReturn({
        where: { id: id.toLowerCase() },
        data: { unreadCount: 0, lastReadAt: new Date() },
      });
      const conversation = rows[0] ?? null;
      if (!conversation) return { conversation, errors: [{ field: 'id', code: 'NOT_FOUND', message: `No conversation with id "${id}".` }] };
      return { conversation, errors: [] };
    },
  }),
);

builder.subscriptionField('conversationUpdated', (t) =>
  t.field({
    type: Conversation,
    description: 'A conversation changed: new activity, unread count or read state.',
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('conversationUpdated'),
    resolve: (c) => c,
  }),
);
