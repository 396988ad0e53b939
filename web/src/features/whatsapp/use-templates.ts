import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { MessageTemplatesQuery } from '../../gql/graphql.ts';

const MessageTemplatesDocument = graphql(/* GraphQL */ `
  query MessageTemplates {
    messageTemplates {
      sid
      name
      language
      body
      variables {
        name
        example
      }
    }
  }
`);

export type MessageTemplate = MessageTemplatesQuery['messageTemplates'][number];

/**
 * The account's approved WhatsApp templates, read when a composer first needs them and kept for
 * the window (the server keeps them ten minutes itself). `retry` asks the server again.
 */
export function useTemplates() {
  const [result, reexecute] = useQuery({ query: MessageTemplatesDocument, requestPolicy: 'cache-first' });
  return {
    templates: result.data?.messageTemplates,
    loading: result.fetching && !result.data,
    error: result.error && !result.data ? (result.error.graphQLErrors[0]?.message ?? 'Hatch could not be reached.') : null,
    retry: () => reexecute({ requestPolicy: 'network-only' }),
  };
}
