// Each module's file registers its types and root fields with the builder; this one only gathers them.
import { builder } from './builder.ts';
import '../modules/messages/message.type.ts';
import '../modules/messages/message.mutations.ts';
import '../modules/messages/message.subscriptions.ts';
import '../modules/messages/segments.queries.ts';
import '../modules/messages/recipient.queries.ts';
import '../modules/messages/sms-settings.queries.ts';
import '../modules/conversations/conversation.type.ts';
import '../modules/conversations/conversation.queries.ts';
import '../modules/conversations/conversation.mutations.ts';
import '../modules/conversations/conversation.subscriptions.ts';
import '../modules/contacts/contact.mutations.ts';
import '../modules/access/access.queries.ts';
import '../modules/access/access.mutations.ts';
import '../modules/node/node.queries.ts';

export const schema = builder.toSchema({ sortSchema: false });
