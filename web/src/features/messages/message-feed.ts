import { useClient, useSubscription } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { RESUMABLE } from '../../graphql/resume-point.ts';
import { useInbox } from '../../inbox-context.ts';

// `after` and `cursor` let the event stream resume this feed after a break (graphql/live-stream.ts).
const MessageFeedSubscription = graphql(/* GraphQL */ `
  subscription MessageFeed($after: String) {
    messageUpdated(after: $after) {
      cursor
      action
      conversationId
      messageId
      message {
        ...MessageBubble
      }
    }
  }
`);

const ConversationAfterDelete = graphql(/* GraphQL */ `
  query ConversationAfterDelete($id: ID!) {
    conversation(id: $id) {
      ...ConversationItem
    }
  }
`);

/**
 * Every change to every message, for as long as the window is open. One feed rather than one per
 * open thread: it is already running when a thread starts loading, so nothing that happens
 * between the thread's query and its subscription can slip through, and a status change reaches
 * the conversation list's preview too. After a break, the changes made meanwhile arrive here like
 * any others.
 */
export function MessageFeed() {
  const { conversations, messages } = useInbox();
  const client = useClient();
  useSubscription({ query: MessageFeedSubscription, context: RESUMABLE }, (_previous, data) => {
    const u = data.messageUpdated;
    if (u.action === 'DELETE' || !u.message) {
      messages.remove(u.conversationId, u.messageId);
      // Its list row previews it: read the conversation again, and forget it when it is gone (erased).
      if (conversations.get().get(u.conversationId)?.lastMessage?.id === u.messageId) {
        void client
          .query(ConversationAfterDelete, { id: u.conversationId }, { requestPolicy: 'network-only' })
          .toPromise()
          .then((r) => {
            if (r.data?.conversation) return conversations.upsert([r.data.conversation]);
            const gone = !r.error || r.error.graphQLErrors.some((e) => e.extensions?.code === 'NOT_FOUND');
            if (gone) conversations.remove(u.conversationId);
          });
      }
    } else {
      messages.upsertIfTracked(u.conversationId, [{ node: u.message }]);
      conversations.updateLastMessage(u.message);
    }
    return data;
  });
  return null;
}
