import { builder } from '../../schema/builder.ts';
import { conversationChangesAfter, FEED_BATCH } from '../realtime/feed-rows.ts';
import { cursorExpired, parseCursor, prunedThrough, resumeAfter } from '../realtime/resume.ts';
import { Conversation } from './conversation.type.ts';

builder.subscriptionField('conversationUpdated', (t) =>
  t.field({
    type: Conversation,
    description:
      'A conversation changed: new activity, unread count or read state. Each carries its `cursor`; with `after`, every change since that cursor comes first, then live ones (CURSOR_EXPIRED past the retention period).',
    args: { after: t.arg.string({ description: 'Resume after this cursor.' }) },
    subscribe: async (_root, args, ctx) => {
      const after = args.after == null ? undefined : parseCursor(args.after);
      if (after !== undefined && after < (await prunedThrough(ctx.db))) throw cursorExpired();
      const live = ctx.pubsub.subscribe('conversationUpdated');
      if (after === undefined) return live;
      return resumeAfter(after, live, (position) => conversationChangesAfter(ctx.db, position), FEED_BATCH, async () => after >= (await prunedThrough(ctx.db)));
    },
    resolve: (e) => ({ ...e.conversation, cursor: e.cursor }),
  }),
);
