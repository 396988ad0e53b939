import type { NoteItemFragment } from '../../gql/graphql.ts';
import type { ThreadItem } from '../messages/reconcile.ts';

export type NoteNode = NoteItemFragment;

/**
 * The thread's messages with its notes between them, by time. While older messages are still to
 * load, notes older than the oldest message shown wait with them; unsent messages stay last.
 */
export function withNotes(items: readonly ThreadItem[], notes: readonly NoteNode[], hasOlder: boolean | undefined): ThreadItem[] {
  if (notes.length === 0) return [...items];
  const stored = items.filter((i) => i.kind === 'message');
  const rest = items.filter((i) => i.kind !== 'message');
  const oldest = stored[0]?.kind === 'message' ? stored[0].stored.message.createdAt : undefined;
  const shown = hasOlder && oldest ? notes.filter((n) => n.createdAt >= oldest) : notes;
  const timeOf = (i: ThreadItem) => (i.kind === 'message' ? i.stored.message.createdAt : i.kind === 'note' ? i.note.createdAt : '');
  const merged = [...stored, ...shown.map((note): ThreadItem => ({ kind: 'note', note }))];
  // A stable sort: messages keep their order among themselves, a note goes after a message of the same instant.
  merged.sort((a, b) => (timeOf(a) < timeOf(b) ? -1 : timeOf(a) > timeOf(b) ? 1 : 0));
  return [...merged, ...rest];
}
