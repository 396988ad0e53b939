import type { MessageDirection } from '../../gql/graphql.ts';

export interface ParticipantsInput {
  participants: readonly string[];
  lastMessage?: { direction: MessageDirection; from: string; to: string } | null;
}

/**
 * The person on the other side of a conversation. The API lists both participants in a stable
 * order without saying which is ours, so ours is read off the last message: the sender of an
 * outbound one, the recipient of an inbound one. `ours` adds identities seen elsewhere, for a
 * conversation whose last message is unknown. Until the API names our side, this is the rule.
 */
export function otherParticipant(c: ParticipantsInput, ours: ReadonlySet<string> = new Set()): string {
  const [a = '', b = a] = c.participants;
  const m = c.lastMessage;
  const own = m ? (m.direction === 'OUTBOUND' ? m.from : m.to) : ours.has(a) ? a : ours.has(b) ? b : undefined;
  if (own === a) return b;
  if (own === b) return a;
  // Neither matched (data from elsewhere): prefer the one that is not a known identity of ours.
  return ours.has(a) ? b : a;
}
