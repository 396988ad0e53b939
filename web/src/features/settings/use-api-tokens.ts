import { useCallback, useEffect, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { TokenScope } from '../../gql/graphql.ts';
import { withToken, type ApiTokenItem } from './token-order.ts';

export const ApiTokenItemFragment = graphql(/* GraphQL */ `
  fragment ApiTokenItem on ApiToken {
    id
    name
    scope
    createdAt
    createdBy
    lastUsedAt
    revokedAt
  }
`);

const ApiTokensQuery = graphql(/* GraphQL */ `
  query ApiTokens {
    apiTokens {
      ...ApiTokenItem
    }
  }
`);

const CreateApiTokenMutation = graphql(/* GraphQL */ `
  mutation CreateApiToken($name: String!, $scope: TokenScope!) {
    createApiToken(name: $name, scope: $scope) {
      token
      apiToken {
        ...ApiTokenItem
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const RevokeApiTokenMutation = graphql(/* GraphQL */ `
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      apiToken {
        ...ApiTokenItem
      }
      errors {
        code
        message
      }
    }
  }
`);

export type CreateOutcome =
  | { ok: true; secret: string; token: ApiTokenItem }
  | { ok: false; errors: readonly { field: string | null; code: string; message: string }[] };

const UNREACHABLE = 'Hatch did not answer. Try again.';

/** The API tokens, and making and revoking them; not read at all unless `enabled` (an agent may not). */
export function useApiTokens(enabled = true) {
  const client = useClient();
  const [tokens, setTokens] = useState<readonly ApiTokenItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await client.query(ApiTokensQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    if (!result.data) return setError('Could not load the API tokens.');
    setError(null);
    setTokens(result.data.apiTokens);
  }, [client]);

  useEffect(() => {
    if (enabled) void load();
  }, [load, enabled]);

  const create = useCallback(
    async (name: string, scope: TokenScope): Promise<CreateOutcome> => {
      const result = await client.mutation(CreateApiTokenMutation, { name, scope }).toPromise();
      const payload = result.data?.createApiToken;
      if (!payload) return { ok: false, errors: [{ field: null, code: 'UNREACHABLE', message: UNREACHABLE }] };
      if (!payload.token || !payload.apiToken) return { ok: false, errors: payload.errors };
      const made = payload.apiToken;
      setTokens((list) => withToken(list ?? [], made));
      return { ok: true, secret: payload.token, token: made };
    },
    [client],
  );

  /** Null when it worked, else why not. */
  const revoke = useCallback(
    async (id: string): Promise<string | null> => {
      const result = await client.mutation(RevokeApiTokenMutation, { id }).toPromise();
      const payload = result.data?.revokeApiToken;
      if (!payload) return UNREACHABLE;
      if (!payload.apiToken) return payload.errors.map((e) => e.message).join(' ') || 'The token could not be revoked.';
      const revoked = payload.apiToken;
      setTokens((list) => withToken(list ?? [], revoked));
      return null;
    },
    [client],
  );

  return { tokens, error, reload: load, create, revoke };
}
