import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useDebounced } from '../../lib/use-debounced.ts';
import type { SegmentInfo } from './segment-display.ts';

const SmsSegmentsQuery = graphql(/* GraphQL */ `
  query SmsSegments($body: String!) {
    smsSegments(body: $body) {
      encoding
      segments
      units
      perSegment
      remaining
    }
  }
`);

// What the server answers for an empty body (see SmsSegments in schema.graphql), so an empty
// composer needs no request.
const EMPTY_SEGMENTS: SegmentInfo = { encoding: 'GSM7', segments: 0, units: 0, perSegment: 160, remaining: 160 };

/** The server's segment count for the draft, asked for once typing pauses; the last answer meanwhile. */
export function useSegments(body: string, active: boolean): SegmentInfo {
  const settled = useDebounced(body, 150);
  const [{ data }] = useQuery({ query: SmsSegmentsQuery, variables: { body: settled }, pause: !active || settled === '' });
  const [last, setLast] = useState(EMPTY_SEGMENTS);
  useEffect(() => {
    if (data) setLast(data.smsSegments);
  }, [data]);
  return body === '' ? EMPTY_SEGMENTS : last;
}
