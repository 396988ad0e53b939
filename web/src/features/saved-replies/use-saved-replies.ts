import { useCallback } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';

const SavedRepliesQuery = graphql(/* GraphQL */ `
  query SavedReplies {
    savedReplies {
      id
      name
      body
    }
    savedReplyVariables {
      name
      description
    }
  }
`);

const CreateSavedReply = graphql(/* GraphQL */ `
  mutation CreateSavedReply($input: CreateSavedReplyInput!) {
    createSavedReply(input: $input) {
      savedReply {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const UpdateSavedReply = graphql(/* GraphQL */ `
  mutation UpdateSavedReply($input: UpdateSavedReplyInput!) {
    updateSavedReply(input: $input) {
      savedReply {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const DeleteSavedReply = graphql(/* GraphQL */ `
  mutation DeleteSavedReply($id: ID!) {
    deleteSavedReply(id: $id) {
      savedReply {
        id
      }
      errors {
        code
        message
      }
    }
  }
`);

export type SaveOutcome = { ok: true } | { ok: false; errors: readonly { field: string | null; code: string; message: string }[] };

const unreachable: SaveOutcome = { ok: false, errors: [{ field: null, code: 'NETWORK', message: 'Hatch could not be reached. Try again.' }] };

/** The team's saved replies, and saving, changing and deleting them (the list is read again after each). */
export function useSavedReplies() {
  const client = useClient();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: SavedRepliesQuery, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  const save = useCallback(
    async (input: { id?: string; name: string; body: string }): Promise<SaveOutcome> => {
      const result = input.id
        ? (await client.mutation(UpdateSavedReply, { input: { id: input.id, name: input.name, body: input.body } }).toPromise()).data?.updateSavedReply
        : (await client.mutation(CreateSavedReply, { input: { name: input.name, body: input.body } }).toPromise()).data?.createSavedReply;
      if (!result) return unreachable;
      if (result.errors.length) return { ok: false, errors: result.errors };
      reload();
      return { ok: true };
    },
    [client, reload],
  );

  const remove = useCallback(
    async (id: string): Promise<SaveOutcome> => {
      const result = (await client.mutation(DeleteSavedReply, { id }).toPromise()).data?.deleteSavedReply;
      if (!result) return unreachable;
      if (result.errors.length) return { ok: false, errors: result.errors.map((e) => ({ field: null, ...e })) };
      reload();
      return { ok: true };
    },
    [client, reload],
  );

  return { replies: data?.savedReplies ?? null, variables: data?.savedReplyVariables ?? [], error: error && !data ? error : null, fetching, reload, save, remove };
}
