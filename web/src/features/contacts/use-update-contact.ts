import { useCallback } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';

const UpdateContactMutation = graphql(/* GraphQL */ `
  mutation UpdateContact($input: UpdateContactInput!) {
    updateContact(input: $input) {
      contact {
        address
        name
        notes
        displayName
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export interface ContactFieldError {
  field: string | null;
  message: string;
}

export type UpdateOutcome = { ok: true } | { ok: false; errors: ContactFieldError[] };

/**
 * Saves a contact's name and notes. Every window (this one too) hears of it through the change
 * feed: each conversation with them changes, and its contact comes with the new name.
 */
export function useUpdateContact() {
  const client = useClient();
  return useCallback(
    async (address: string, name: string, notes: string): Promise<UpdateOutcome> => {
      const result = await client.mutation(UpdateContactMutation, { input: { address, name, notes } }).toPromise();
      const payload = result.data?.updateContact;
      if (!payload) return { ok: false, errors: [{ field: null, message: 'Hatch could not be reached; nothing was saved. Try again.' }] };
      return payload.contact ? { ok: true } : { ok: false, errors: payload.errors };
    },
    [client],
  );
}
