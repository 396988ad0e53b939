// Each module's file registers its types and root fields with the builder; this one only gathers them.
import { builder } from './builder.ts';
import './messages/message.type.ts';
import './messages/message.mutations.ts';
import './messages/message.subscriptions.ts';
import './messages/segments.queries.ts';
import './messages/recipient.queries.ts';
import './messages/sms-settings.queries.ts';
import './access/operator.type.ts';
import './conversations/conversation.type.ts';
import './conversations/conversation.queries.ts';
import './conversations/conversation.mutations.ts';
import './conversations/conversation.subscriptions.ts';
import './contacts/contact.mutations.ts';
import './contacts/contact.queries.ts';
import './contacts/contact-erasure.operations.ts';
import './access/access.queries.ts';
import './access/access.mutations.ts';
import './access/session.operations.ts';
import './access/operator.mutations.ts';
import './access/invitation.operations.ts';
import './audit/audit.operations.ts';
import './saved-replies/saved-reply.operations.ts';
import './presence/presence.operations.ts';
import './notes/note.type.ts';
import './notes/note.operations.ts';
import './node/node.queries.ts';

export const schema = builder.toSchema({ sortSchema: false });
