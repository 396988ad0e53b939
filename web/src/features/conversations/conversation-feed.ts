import { useSubscription } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { RESUMABLE } from '../../graphql/resume-point.ts';
import { useInbox } from '../../inbox-context.ts';

// `after` and `cursor` let the event stream resume this feed after a break (graphql/live-stream.ts).
const ConversationUpdatedSubscription = graphql(/* GraphQL */ `
  subscription ConversationUpdated($after: String) {
    conversationUpdated(after: $after) {
      cursor
      ...ConversationItem
    }
  }
`);

/**
 * Listens to every conversation's changes for as long as the window is open, whichever screen
 * shows: new activity reorders the list, and a conversation read in another window loses its
 * badge here. After a break, the changes made meanwhile arrive here like any others.
 */
export function ConversationFeed() {
  const { conversations } = useInbox();
  useSubscription({ query: ConversationUpdatedSubscription, context: RESUMABLE }, (_previous, data) => {
    // The cursor is the feed's business, not the conversation's.
    const { cursor: _cursor, ...conversation } = data.conversationUpdated;
    conversations.upsert([conversation]);
    return data;
  });
  return null;
}
