import { useSubscription } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox } from '../../inbox-context.ts';

const ConversationUpdatedSubscription = graphql(/* GraphQL */ `
  subscription ConversationUpdated {
    conversationUpdated {
      ...ConversationItem
    }
  }
`);

/**
 * Listens to every conversation's changes for as long as the window is open, whichever screen
 * shows: new activity reorders the list, and a conversation read in another window loses its
 * badge here.
 */
export function ConversationFeed() {
  const { conversations } = useInbox();
  useSubscription({ query: ConversationUpdatedSubscription }, (_previous, data) => {
    conversations.upsert([data.conversationUpdated]);
    return data;
  });
  return null;
}
