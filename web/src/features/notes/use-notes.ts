import { useCallback, useEffect, useMemo, useState } from 'react';
import { useClient, useMutation } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox, useReloadOnGap } from '../../inbox-context.ts';
import { useObservable } from '../../lib/store.ts';
import { usePageVisible } from '../../lib/use-page-visible.ts';
import { refreshMentionCount } from './mention-count.ts';
import type { NoteNode } from './with-notes.ts';

const ThreadNotesQuery = graphql(/* GraphQL */ `
  query ThreadNotes($id: ID!) {
    conversation(id: $id) {
      id
      notes(last: 100) {
        edges {
          node {
            ...NoteItem
          }
        }
      }
    }
  }
`);

const AddNoteMutation = graphql(/* GraphQL */ `
  mutation AddNote($conversationId: ID!, $body: String!) {
    addNote(input: { conversationId: $conversationId, body: $body }) {
      note {
        ...NoteItem
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const MarkMentionsSeenMutation = graphql(/* GraphQL */ `
  mutation MarkMentionsSeen($conversationId: ID) {
    markMentionsSeen(conversationId: $conversationId) {
      unseenMentionCount
    }
  }
`);

/**
 * A thread's notes: the newest hundred when it opens, then each one added while it is open (the
 * conversation's `lastNote` arrives live with every note, from anyone).
 */
export function useNotes(conversationId: string): NoteNode[] {
  const client = useClient();
  const { conversations } = useInbox();
  const all = useObservable(conversations);
  const latest = all.get(conversationId)?.lastNote ?? null;
  const [loaded, setLoaded] = useState<NoteNode[]>([]);

  const load = useCallback(async () => {
    const result = await client.query(ThreadNotesQuery, { id: conversationId }, { requestPolicy: 'network-only' }).toPromise();
    const notes = result.data?.conversation?.notes.edges.map((e) => e.node as NoteNode);
    if (notes) setLoaded(notes);
  }, [client, conversationId]);
  useEffect(() => void load(), [load]);
  useReloadOnGap(() => void load());

  return useMemo(() => (latest && !loaded.some((n) => n.id === latest.id) ? [...loaded, latest as NoteNode] : loaded), [loaded, latest]);
}

export type AddNoteOutcome = { ok: true } | { ok: false; message: string };

export function useAddNote(conversationId: string): (body: string) => Promise<AddNoteOutcome> {
  const [, add] = useMutation(AddNoteMutation);
  const { conversations } = useInbox();
  return useCallback(
    async (body: string) => {
      const result = await add({ conversationId, body });
      const payload = result.data?.addNote;
      if (!payload) return { ok: false, message: 'The note could not be added: the server could not be reached. It is still here; try again.' };
      if (payload.errors.length) return { ok: false, message: payload.errors.map((e) => e.message).join(' ') };
      // Shown at once, before the change reaches this window through the feed.
      const note = payload.note as NoteNode;
      const c = conversations.get().get(conversationId);
      if (c && c.lastNote?.id !== note.id) conversations.upsert([{ ...c, lastNote: note, noteCount: c.noteCount + 1 }]);
      return { ok: true };
    },
    [add, conversationId, conversations],
  );
}

/** While the thread is on screen, the viewer's mentions in it are seen: when it opens and as new ones arrive. */
export function useSeeMentions(conversationId: string, notes: readonly NoteNode[]): void {
  const visible = usePageVisible();
  const [, mark] = useMutation(MarkMentionsSeenMutation);
  const newestMention = notes.filter((n) => n.mentionsViewer).at(-1)?.id;
  useEffect(() => {
    if (!visible || !newestMention) return;
    void mark({ conversationId }).then(() => refreshMentionCount());
  }, [visible, newestMention, conversationId, mark]);
}
