import { builder } from '../builder.ts';
import { Conversation } from './conversation.type.ts';

builder.subscriptionField('conversationUpdated', (t) =>
  t.field({
    type: Conversation,
    description:
      'A conversation changed: new activity, unread count or read state. Each carries its `cursor`; with `after`, every change since that cursor comes first, then live ones (CURSOR_EXPIRED past the retention period).',
    args: { after: t.arg.string({ description: 'Resume after this cursor.' }) },
    subscribe: (_root, args, ctx) => ctx.feed.conversations({ after: args.after }),
    resolve: (e) => ({ ...e.conversation, cursor: e.cursor }),
  }),
);
