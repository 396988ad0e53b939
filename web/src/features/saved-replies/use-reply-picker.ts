import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { insertReply, matchReplies, slashQuery } from './matching.ts';

const PickerQuery = graphql(/* GraphQL */ `
  query SavedRepliesFilled($conversationId: ID) {
    savedReplies {
      id
      name
      body
      text(conversationId: $conversationId)
    }
  }
`);

export interface PickerReply {
  id: string;
  name: string;
  body: string;
  text: string;
}

type Replies = { state: 'idle' | 'loading' | 'error' } | { state: 'ready'; replies: PickerReply[] };

/**
 * The `/` picker of the composer: typing `/` and a name (at the start or after a space) lists the
 * team's saved replies; arrows choose, Enter or Tab puts the chosen one in (its variables filled
 * for this conversation and the operator by the server), Esc closes. The replies are read when
 * the picker opens, so a reply a colleague saved a moment ago is there.
 */
export function useReplyPicker(conversationId: string | null, body: string, setBody: (text: string) => void, box: React.RefObject<HTMLTextAreaElement | null>) {
  const client = useClient();
  const [slash, setSlash] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const [replies, setReplies] = useState<Replies>({ state: 'idle' });
  const loadedFor = useRef<string | null | undefined>(undefined);

  const load = useCallback(async () => {
    loadedFor.current = conversationId;
    setReplies({ state: 'loading' });
    const result = await client.query(PickerQuery, { conversationId }, { requestPolicy: 'network-only' }).toPromise();
    if (loadedFor.current !== conversationId) return;
    setReplies(result.data ? { state: 'ready', replies: result.data.savedReplies } : { state: 'error' });
  }, [client, conversationId]);

  /** Reads the `/query` at the caret after each change of the text or of the caret. */
  const track = useCallback(
    (text: string, caret: number | null) => {
      const found = caret === null ? null : slashQuery(text, caret);
      setSlash((was) => {
        if (found && !was) {
          setActive(0);
          void load();
        } else if (found && was && found.query !== was.query) setActive(0);
        return found;
      });
    },
    [load],
  );

  const matches = useMemo(() => (slash && replies.state === 'ready' ? matchReplies(replies.replies, slash.query) : []), [slash, replies]);
  const open = slash !== null;

  const pick = useCallback(
    (reply: PickerReply) => {
      const el = box.current;
      if (!slash || !el) return;
      const caret = el.selectionStart ?? body.length;
      const next = insertReply(body, slash.start, caret, reply.text);
      // The caret is placed in the same task as the text (see note-composer.tsx): a key typed
      // before a later frame would otherwise land at the end.
      flushSync(() => {
        setBody(next.text);
        setSlash(null);
      });
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    },
    [body, box, setBody, slash],
  );

  /** Handles a key for the picker; true when it was the picker's (the composer does nothing more). */
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
      if (!open || e.nativeEvent.isComposing) return false;
      if (e.key === 'Escape') {
        e.preventDefault();
        setSlash(null);
        return true;
      }
      // Enter while the replies are still coming would send the "/name" itself.
      if (e.key === 'Enter' && replies.state === 'loading') {
        e.preventDefault();
        return true;
      }
      if (!matches.length) return false;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return true;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        pick(matches[Math.min(active, matches.length - 1)]!);
        return true;
      }
      return false;
    },
    [active, matches, open, pick, replies.state],
  );

  return { open, query: slash?.query ?? '', state: replies.state, matches, active: Math.min(active, Math.max(matches.length - 1, 0)), track, pick, onKeyDown, close: () => setSlash(null) };
}
