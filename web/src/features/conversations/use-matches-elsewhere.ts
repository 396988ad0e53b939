import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { ConversationFilter } from '../../gql/graphql.ts';

const MatchesQuery = graphql(/* GraphQL */ `
  query ConversationMatches($search: String!, $filter: ConversationFilter!) {
    conversations(first: 21, search: $search, filter: $filter) {
      edges {
        cursor
      }
    }
  }
`);

/** Where a search that finds nothing in this filter would find something. */
export interface Elsewhere {
  filter: ConversationFilter;
  /** Matches there, up to 21 ("20+" beyond). */
  count: number;
}

const OTHER: Partial<Record<ConversationFilter, ConversationFilter>> = { OPEN: 'DONE', DONE: 'OPEN' };

/**
 * A search that matches nothing under Open (or Done) may match under the other: say so, rather than
 * "no conversations match" for a conversation that is only marked done. Asked only when the list
 * came back empty for a search.
 */
export function useMatchesElsewhere(search: string, filter: ConversationFilter, empty: boolean): Elsewhere | null {
  const client = useClient();
  const [found, setFound] = useState<Elsewhere | null>(null);
  const other = OTHER[filter];
  useEffect(() => {
    setFound(null);
    if (!empty || !search || !other) return;
    let current = true;
    void client
      .query(MatchesQuery, { search, filter: other }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((r) => {
        const count = r.data?.conversations.edges.length ?? 0;
        if (current && count > 0) setFound({ filter: other, count });
      });
    return () => {
      current = false;
    };
  }, [client, search, other, empty]);
  return found;
}
