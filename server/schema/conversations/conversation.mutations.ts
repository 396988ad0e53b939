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
  snoozeConversation,
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
      if (result === 'no-operator') return { conversation: null, errors: [userError('assigneeId', 'INVALID_ASSIGNEE', `No working operator with id "${assigneeId}" (a disabled one cannot be given conversations).`)] };
      if (!result) return { conversation: null, errors: [userError('id', 'NOT_FOUND', `No conversation with id "${id}".`)] };
      return { conversation: result, errors: [] };
    },
  }),
);

builder.mutationField('snoozeConversation', (t) =>
  t.field({
    type: ConversationStatePayload,
    description:
      'Takes a conversation out of the Open list (for the whole team) until `until`; then it is back on top of Open, its `snoozedUntil` kept as a marker (`snoozeWokeAt` says when it woke). A message from the contact ends the snooze at once; `until: null` ends it by hand. `INVALID_SNOOZE` unless `until` is in the future and at most a year away. Live in every window.',
    args: { id: t.arg.id({ required: true }), until: t.arg({ type: 'DateTime', required: false }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!isUuid(id)) return { conversation: null, errors: [userError('id', 'INVALID_ID', `"${id}" is not a conversation id.`)] };
      const outcome = snoozeConversation(ctx.db, id.toLowerCase(), args.until ?? null);
      if (outcome === 'invalid') return { conversation: null, errors: [userError('until', 'INVALID_SNOOZE', 'Snooze until a time in the future, at most a year from now.')] };
      const conversation = (await outcome) ?? null;
      if (!conversation) return { conversation, errors: [userError('id', 'NOT_FOUND', `No conversation with id "${id}".`)] };
      return { conversation, errors: [] };
    },
  }),
);
