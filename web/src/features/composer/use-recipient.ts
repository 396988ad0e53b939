import { useCallback, useEffect, useState } from 'react';
import { useClient, type Client } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { RecipientQuery } from '../../gql/graphql.ts';
import { useDebounced } from '../../lib/use-debounced.ts';

const Recipient = graphql(/* GraphQL */ `
  query Recipient($to: String!) {
    recipient(to: $to) {
      kind
      address
      display
      contact {
        name
        optedOut
      }
      error {
        field
        code
        message
      }
    }
  }
`);

export type RecipientReading = RecipientQuery['recipient'];

// Readings stay good for a while (a number can opt out meanwhile), shared by every view of the window.
const FRESH_MS = 30_000;
const caches = new WeakMap<Client, Map<string, { at: number; reading: RecipientReading }>>();

function cacheOf(client: Client) {
  let cache = caches.get(client);
  if (!cache) caches.set(client, (cache = new Map()));
  return cache;
}

/**
 * How the server reads a recipient as typed (SMS to which number, a name kept in Hatch only, or
 * refused, and why): asked once typing pauses, as the composer asks for segment counts, so the
 * page confirms the server's own reading instead of guessing with rules of its own. `read` asks at
 * once, for a send that cannot wait; it is null when the server could not be reached.
 */
export function useRecipient(to: string) {
  const client = useClient();
  const typed = to.trim();
  const settled = useDebounced(typed, 200);
  const [, setVersion] = useState(0);

  const read = useCallback(
    async (text: string): Promise<RecipientReading | null> => {
      const key = text.trim();
      const cache = cacheOf(client);
      const held = cache.get(key);
      if (held && Date.now() - held.at < FRESH_MS) return held.reading;
      const result = await client.query(Recipient, { to: key }, { requestPolicy: 'network-only' }).toPromise();
      const reading = result.data?.recipient ?? null;
      if (reading) cache.set(key, { at: Date.now(), reading });
      setVersion((v) => v + 1);
      return reading;
    },
    [client],
  );

  useEffect(() => {
    if (settled !== '') void read(settled);
  }, [settled, read]);

  const held = typed === '' ? undefined : cacheOf(client).get(typed);
  return { reading: held?.reading ?? null, read };
}
