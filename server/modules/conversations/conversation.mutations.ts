import type { Conversation as ConversationRow } from '../../generated/prisma/client.ts';
import { builder } from '../../schema/builder.ts';
import { UserError, userError, type UserErrorShape } from '../../schema/errors.ts';
import { isUuid } from '../../schema/ids.ts';
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
      if (!isUuid(id)) return { conversation: null, errors: [userError('id', 'INVALID_ID', `"${id}" is not a conversation id.`)] };
      const rows = await ctx.prisma.conversation.updateManyAndReturn({
        where: { id: id.toLowerCase() },
        data: { unreadCount: 0, lastReadAt: new Date() },
      });
      const conversation = rows[0] ?? null;
      if (!conversation) return { conversation, errors: [userError('id', 'NOT_FOUND', `No conversation with id "${id}".`)] };
      return { conversation, errors: [] };
    },
  }),
);
