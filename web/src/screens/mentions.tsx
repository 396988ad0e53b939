import { useEffect } from 'react';
import { useQuery } from 'urql';
import { RouteLink } from '../components/route-link.tsx';
import { graphql } from '../gql/gql.ts';
import { useReloadOnGap } from '../inbox-context.ts';
import { safeDisplay } from '../lib/bidi.ts';
import { fullTime } from '../lib/relative-time.ts';
import { useTitle } from '../lib/use-title.ts';
import { conversationTitle } from '../features/conversations/participants.ts';
import { useUnseenMentions } from '../features/notes/mention-count.ts';
import '../features/notes/notes.css';

const MentionsQuery = graphql(/* GraphQL */ `
  query Mentions {
    mentions(first: 50) {
      edges {
        node {
          ...NoteItem
          mentionSeen
          conversation {
            ...ConversationItem
          }
        }
      }
    }
    viewer {
      unseenMentionCount
      operatorId
    }
  }
`);

/**
 * Notes that mention the operator, newest first; those not seen yet are marked. Opening one goes
 * to its thread, which marks it seen.
 */
export function Mentions() {
  useTitle('Mentions · Hatch');
  const [{ data, fetching, error }, reexecute] = useQuery({ query: MentionsQuery, requestPolicy: 'cache-and-network' });
  const unseen = useUnseenMentions();
  // A new mention (the count moved) or one seen elsewhere: read the list again.
  useEffect(() => reexecute({ requestPolicy: 'network-only' }), [unseen, reexecute]);
  useReloadOnGap(() => reexecute({ requestPolicy: 'network-only' }));
  const notes = data?.mentions.edges.map((e) => e.node) ?? [];
  return (
    <section className="mentions" aria-labelledby="mentions-heading">
      <h2 id="mentions-heading">Mentions</h2>
      {error && !data ? (
        <p>Mentions could not be loaded.</p>
      ) : fetching && !data ? (
        <p>Loading…</p>
      ) : notes.length === 0 ? (
        <p>No one has mentioned you yet. A colleague mentions you by writing @ and your name in an internal note.</p>
      ) : (
        <ul className="mention-list">
          {notes.map((n) => {
            return (
              <li key={n.id} className="mention-item" data-unseen={n.mentionSeen === false || undefined}>
                <RouteLink to={{ view: 'thread', id: n.conversationId }}>
                  <p className="mention-where">
                    <strong dir="auto">{safeDisplay(n.authorName)}</strong> in <span dir="auto">{safeDisplay(conversationTitle(n.conversation))}</span> ·{' '}
                    <time dateTime={n.createdAt}>{fullTime(n.createdAt)}</time>
                  </p>
                  <p className="mention-text" dir="auto">
                    {n.mentionSeen === false && <span className="visually-hidden">New: </span>}
                    {safeDisplay(n.body)}
                  </p>
                </RouteLink>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
