import { useCallback } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { ConversationAssignee } from '../../gql/graphql.ts';
import { useInbox } from '../../inbox-context.ts';
import { useAuthState } from '../auth/auth-context.ts';
import type { ConversationNode } from './conversation-store.ts';

export type Whose = ConversationAssignee;

const TeamQuery = graphql(/* GraphQL */ `
  query Team {
    operators {
      id
      name
    }
  }
`);

const AssignMutation = graphql(/* GraphQL */ `
  mutation AssignConversation($id: ID!, $assigneeId: ID) {
    assignConversation(id: $id, assigneeId: $assigneeId) {
      conversation {
        ...ConversationItem
      }
      errors {
        message
      }
    }
  }
`);

/** The signed-in operator's id; null with sign-in off (there is no team then) or for a program. */
export function useMe(): string | null {
  const state = useAuthState();
  if (state.status !== 'signed-in' || !state.session.authRequired || state.session.kind !== 'operator') return null;
  return state.session.id;
}

/** Whether the signed-in person may manage the team and API tokens (always, with sign-in off). */
export function useIsAdmin(): boolean {
  const state = useAuthState();
  if (state.status !== 'signed-in') return false;
  return !state.session.authRequired || state.session.role === 'ADMIN';
}

/** Everyone a conversation can be assigned to, by name. */
export function useTeam(): { id: string; name: string }[] {
  const [{ data }] = useQuery({ query: TeamQuery });
  return data?.operators ?? [];
}

/** The server's Mine / Unassigned filter, for conversations that arrive live or change hands. */
export function matchesAssignee(c: Pick<ConversationNode, 'assignee'>, whose: Whose, me: string | null): boolean {
  if (whose === 'UNASSIGNED') return c.assignee == null;
  if (whose === 'ME') return me !== null && c.assignee?.id === me;
  return true;
}

/** Gives the conversation to an operator, or to nobody (null); this window at once, the others by the change feed. */
export function useAssign(id: string) {
  const client = useClient();
  const { conversations } = useInbox();
  return useCallback(
    async (assigneeId: string | null): Promise<boolean> => {
      const payload = (await client.mutation(AssignMutation, { id, assigneeId }).toPromise()).data?.assignConversation;
      if (!payload?.conversation) return false;
      conversations.upsert([payload.conversation]);
      return true;
    },
    [client, conversations, id],
  );
}
