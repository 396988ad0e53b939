import { useCallback, useEffect, useState } from 'react';
import { useClient, type Client } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { RecipientQuery, SendChannel } from '../../gql/graphql.ts';
import { useDebounced } from '../../lib/use-debounced.ts';

const Recipient = graphql(/* GraphQL */ `
  query Recipient($to: String!, $channel: SendChannel) {
    recipient(to: $to, channel: $channel) {
      kind
      address
      display
      freeTextUntil
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

/** One reading per text and channel: a number reads differently on SMS and on WhatsApp. */
const keyOf = (text: string, channel: SendChannel | undefined) => `${channel ?? ''}|${text.trim()}`;

function cacheOf(client: Client) {
  let cache = caches.get(client);
  if (!cache) caches.set(client, (cache = new Map()));
  return cache;
}

/**
 * How the server reads a recipient as typed (SMS or WhatsApp to which number, a name kept in Hatch
 * only, or refused, and why): asked once typing pauses, as the composer asks for segment counts, so
 * the page confirms the server's own reading instead of guessing with rules of its own. `channel`
 * is the one chosen for a phone number (undefined: as typed). `read` asks at once, for a send that
 * cannot wait; it is null when the server could not be reached.
 */
export function useRecipient(to: string, channel?: SendChannel) {
  const client = useClient();
  const typed = to.trim();
  const settled = useDebounced(typed, 200);
  const [, setVersion] = useState(0);

  const read = useCallback(
    async (text: string): Promise<RecipientReading | null> => {
      const key = keyOf(text, channel);
      const cache = cacheOf(client);
      const held = cache.get(key);
      if (held && Date.now() - held.at < FRESH_MS) return held.reading;
      const result = await client.query(Recipient, { to: text.trim(), ...(channel ? { channel } : {}) }, { requestPolicy: 'network-only' }).toPromise();
      const reading = result.data?.recipient ?? null;
      if (reading) cache.set(key, { at: Date.now(), reading });
      setVersion((v) => v + 1);
      return reading;
    },
    [client, channel],
  );

  useEffect(() => {
    if (settled !== '') void read(settled);
  }, [settled, read]);

  const held = typed === '' ? undefined : cacheOf(client).get(keyOf(typed, channel));
  return { reading: held?.reading ?? null, read };
}

/**
 * The last reading of the recipient, kept while the next one is asked for: what the composer is
 * (free text or templates) does not flicker with every keystroke in the To field.
 */
export function useSteadyReading(typed: string, reading: RecipientReading | null): RecipientReading | null {
  const [steady, setSteady] = useState(reading);
  useEffect(() => {
    if (reading !== null || typed.trim() === '') setSteady(reading);
  }, [typed, reading]);
  return reading ?? (typed.trim() === '' ? null : steady);
}
