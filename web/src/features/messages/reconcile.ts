import type { NoteItemFragment } from '../../gql/graphql.ts';
import type { PendingSend } from './pending-store.ts';
import type { StoredMessage } from './message-store.ts';

export type ThreadItem =
  | { kind: 'message'; stored: StoredMessage }
  | { kind: 'pending'; pending: PendingSend }
  // The team's internal notes, between the messages (features/notes/with-notes.ts).
  | { kind: 'note'; note: NoteItemFragment };

/**
 * The thread as shown: the server's messages, then the optimistic ones not yet among them.
 *
 * The live feed can bring the real message before the send mutation answers. An optimistic
 * message then stands for the first outbound message with its recipient and body that this window
 * first saw after it was sent, each real message standing in for one optimistic message at most,
 * so two identical texts sent in a row still show as two.
 */
export function threadItems(messages: readonly StoredMessage[], pending: readonly PendingSend[]): ThreadItem[] {
  const claimed = new Set<string>();
  const waiting: PendingSend[] = [];
  for (const p of [...pending].sort((a, b) => a.startedAt - b.startedAt)) {
    const match = messages.find(
      (s) =>
        !claimed.has(s.message.id) &&
        s.message.direction === 'OUTBOUND' &&
        s.message.to === p.to &&
        s.message.body === p.body &&
        s.firstSeenAt >= p.startedAt,
    );
    if (match) claimed.add(match.message.id);
    else waiting.push(p);
  }
  return [
    ...messages.map((stored): ThreadItem => ({ kind: 'message', stored })),
    ...waiting.map((p): ThreadItem => ({ kind: 'pending', pending: p })),
  ];
}
