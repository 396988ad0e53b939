import { useCallback } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox } from '../../inbox-context.ts';

const MarkDone = graphql(/* GraphQL */ `
  mutation MarkConversationDone($id: ID!) {
    markConversationDone(id: $id) {
      conversation {
        ...ConversationItem
      }
      errors {
        message
      }
    }
  }
`);

const MarkOpen = graphql(/* GraphQL */ `
  mutation MarkConversationOpen($id: ID!) {
    markConversationOpen(id: $id) {
      conversation {
        ...ConversationItem
      }
      errors {
        message
      }
    }
  }
`);

const MarkUnread = graphql(/* GraphQL */ `
  mutation MarkConversationUnread($id: ID!) {
    markConversationUnread(id: $id) {
      conversation {
        ...ConversationItem
      }
      errors {
        message
      }
    }
  }
`);

export type ConversationAction = 'done' | 'open' | 'unread';

/**
 * Marks a conversation done, open again, or unread. The answer updates this window at once; the
 * change feed tells the others.
 */
export function useConversationActions(id: string) {
  const client = useClient();
  const { conversations } = useInbox();
  return useCallback(
    async (action: ConversationAction): Promise<boolean> => {
      const result =
        action === 'done'
          ? (await client.mutation(MarkDone, { id }).toPromise()).data?.markConversationDone
          : action === 'open'
            ? (await client.mutation(MarkOpen, { id }).toPromise()).data?.markConversationOpen
            : (await client.mutation(MarkUnread, { id }).toPromise()).data?.markConversationUnread;
      if (!result?.conversation) return false;
      conversations.upsert([result.conversation]);
      return true;
    },
    [client, conversations, id],
  );
}
