import { describe, expect, it } from 'vitest';
import type { ThreadItem } from '../messages/reconcile.ts';
import { withNotes, type NoteNode } from './with-notes.ts';

const message = (id: string, createdAt: string) => ({ kind: 'message', stored: { message: { id, createdAt } } }) as unknown as ThreadItem;
const note = (id: string, createdAt: string): NoteNode => ({ __typename: 'Note', id, conversationId: 'c', body: id, authorName: 'Ana', authorOperatorId: 'a', mentionsViewer: false, createdAt }) as NoteNode;
const pending = { kind: 'pending', pending: { key: 'p' } } as unknown as ThreadItem;
const ids = (items: ThreadItem[]) => items.map((i) => (i.kind === 'message' ? i.stored.message.id : i.kind === 'note' ? i.note.id : 'pending'));

describe('withNotes', () => {
  it('puts notes between messages by time, unsent messages last', () => {
    const items = [message('m1', '2026-12-05T10:00:00.000Z'), message('m2', '2026-12-05T10:05:00.000Z'), pending];
    expect(ids(withNotes(items, [note('n1', '2026-12-05T10:01:00.000Z'), note('n2', '2026-12-05T10:09:00.000Z')], false))).toEqual(['m1', 'n1', 'm2', 'n2', 'pending']);
  });

  it('keeps notes older than the oldest message shown back while older messages are still to load', () => {
    const items = [message('m2', '2026-12-05T10:05:00.000Z')];
    expect(ids(withNotes(items, [note('old', '2026-12-05T09:00:00.000Z'), note('n', '2026-12-05T10:06:00.000Z')], true))).toEqual(['m2', 'n']);
    expect(ids(withNotes(items, [note('old', '2026-12-05T09:00:00.000Z')], false))).toEqual(['old', 'm2']);
  });
});
