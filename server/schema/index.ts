import { builder } from './builder.ts';
import '../modules/messages/message.type.ts';
import '../modules/messages/message.mutations.ts';
import '../modules/messages/message.subscriptions.ts';
import '../modules/conversations/conversation.type.ts';
import '../modules/conversations/conversation.queries.ts';
import '../modules/conversations/conversation.mutations.ts';
import '../modules/sms/segments.type.ts';
import '../modules/sms/sms.type.ts';

export const schema = builder.toSchema({ sortSchema: false });
