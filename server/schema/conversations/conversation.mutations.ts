import type { Conversation as ConversationRow } from '../../generated/prisma/client.ts';
import { builder } from '../builder.ts';
import { isUuid, userError, type UserErrorShape } from '../../lib/errors.ts';
import { UserError } from '../errors.ts';
import { Conversation } from './conversation.type.ts';
import {
  assignConversation,
  markConversationRead,
  markConversationUnread,
  setConversationState,
  type ConversationState,
} from '../../modules/conversations/conversations.service.ts';
import { readerOf } from '../../modules/conversations/read-state.ts';

/** What every mutation of one conversation's state answers: the conversation as it is now, or why not. */
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
    description:
      "Marks it read by the viewer: the viewer's unread count is zero; colleagues' counts (and other tokens') are their own. The viewer's other windows hear of it through `conversationUpdated`.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!isUuid(id)) return { conversation: null, errors: [userError('id', 'INVALID_ID', `"${id}" is not a conversation id.`)] };
      const conversation = (await markConversationRead(ctx.db, id.toLowerCase(), readerOf(ctx.principal))) ?? null;
      if (!conversation) return { conversation, errors: [userError('id', 'NOT_FOUND', `No conversation with id "${id}".`)] };
      return { conversation, errors: [] };
    },
  }),
);

const ConversationStatePayload = builder.objectRef<MarkReadResult>('ConversationStatePayload').implement({
  fields: (t) => ({
    conversation: t.field({ type: Conversation, nullable: true, resolve: (r) => r.conversation }),
    errors: t.field({ type: [UserError], resolve: (r) => r.errors }),
  }),
});

/** Done and open are the team's; unread is the viewer's own (read state is per reader). */
const STATE_MUTATIONS: Record<string, { state: ConversationState | 'unread'; description: string }> = {
  markConversationDone: { state: 'done', description: 'Marks a conversation done (archived): it leaves the open list until the contact writes again. Live in every window.' },
  markConversationOpen: { state: 'open', description: 'Brings a conversation marked done back to the open list. Live in every window.' },
  markConversationUnread: {
    state: 'unread',
    description:
      "Marks the newest message from the other side unread again for the viewer (their `unreadCount` at least 1); colleagues' counts stay theirs. Live in the viewer's windows.",
  },
};

for (const [name, { state, description }] of Object.entries(STATE_MUTATIONS)) {
  builder.mutationField(name, (t) =>
    t.field({
      type: ConversationStatePayload,
      description,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_root, args, ctx) => {
        const id = String(args.id);
        if (!isUuid(id)) return { conversation: null, errors: [userError('id', 'INVALID_ID', `"${id}" is not a conversation id.`)] };
        const conversation =
          (state === 'unread' ? await markConversationUnread(ctx.db, id.toLowerCase(), readerOf(ctx.principal)) : await setConversationState(ctx.db, id.toLowerCase(), state)) ?? null;
        if (!conversation) return { conversation, errors: [userError('id', 'NOT_FOUND', `No conversation with id "${id}".`)] };
        return { conversation, errors: [] };
      },
    }),
  );
}

builder.mutationField('assignConversation', (t) =>
  t.field({
    type: ConversationStatePayload,
    description:
      'Gives a conversation to an operator (`viewer.operatorId` for oneself, an id from `operators` for a colleague), or to nobody with `assigneeId: null`. Live in every window through `conversationUpdated`. A program with a `send` token may assign too; it acts as itself.',
    args: { id: t.arg.id({ required: true }), assigneeId: t.arg.id({ required: false }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!isUuid(id)) return { conversation: null, errors: [userError('id', 'INVALID_ID', `"${id}" is not a conversation id.`)] };
      const assigneeId = args.assigneeId == null ? null : String(args.assigneeId);
      if (assigneeId !== null && !isUuid(assigneeId)) {
        return { conversation: null, errors: [userError('assigneeId', 'INVALID_ASSIGNEE', `"${assigneeId.slice(0, 60)}" is not an operator id.`)] };
      }
      const result = await assignConversation(ctx.db, id.toLowerCase(), assigneeId?.toLowerCase() ?? null);
      if (result === 'no-operator') return { conversation: null, errors: [userError('assigneeId', 'INVALID_ASSIGNEE', `No operator with id "${assigneeId}".`)] };
      if (!result) return { conversation: null, errors: [userError('id', 'NOT_FOUND', `No conversation with id "${id}".`)] };
      return { conversation: result, errors: [] };
    },
  }),
);
