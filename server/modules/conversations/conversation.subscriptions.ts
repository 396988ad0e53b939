import { builder } from '../../schema/builder.ts';
import { Conversation } from './conversation.type.ts';

builder.subscriptionField('conversationUpdated', (t) =>
  t.field({
    type: Conversation,
    description: 'A conversation changed: new activity, unread count or read state.',
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('conversationUpdated'),
    resolve: (e) => e.conversation,
  }),
);
