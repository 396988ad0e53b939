import { Fragment, useEffect, useRef, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { BackIcon } from '../components/icons.tsx';
import { RouteLink } from '../components/route-link.tsx';
import { graphql } from '../gql/gql.ts';
import { useInbox, useReloadOnGap } from '../inbox-context.ts';
import { safeDisplay } from '../lib/bidi.ts';
import { dayKey, dayLabel } from '../lib/relative-time.ts';
import { goBack } from '../lib/router.ts';
import { useObservable } from '../lib/store.ts';
import { useNow } from '../lib/use-now.ts';
import { useRereadOn } from '../lib/use-reread.ts';
import { useTitle } from '../lib/use-title.ts';
import { conversationVersion } from '../features/conversations/conversation-store.ts';
import { MessageBubble } from '../features/messages/message-bubble.tsx';
import { useSend } from '../features/composer/use-send.ts';
import type { PersonTimelineQuery as Timeline } from '../gql/graphql.ts';
import '../features/contacts/contacts.css';
import '../features/messages/messages.css';

const PAGE = 50;

type Edge = NonNullable<Timeline['contact']>['messages']['edges'][number];

const PersonTimelineQuery = graphql(/* GraphQL */ `
  query PersonTimeline($address: String!, $first: Int, $after: String, $last: Int, $before: String) {
    contact(address: $address) {
      address
      displayName
      addresses {
        address
        display
      }
      conversations {
        id
        contact {
          display
        }
      }
      messages(first: $first, after: $after, last: $last, before: $before) {
        edges {
          cursor
          node {
            ...MessageBubble
          }
        }
        pageInfo {
          hasPreviousPage
        }
      }
    }
  }
`);

/**
 * One person's conversations together: every message at every number of theirs, oldest to
 * newest, each saying which number it was with, and a link to reply in each conversation. Read
 * again whenever one of those conversations changes.
 */
export function Person({ address }: { address: string }) {
  // Earlier pages, as loaded (oldest first), and whether there are more before them. The live
  // part is what follows the newest of them (or the latest page while there are none), read again
  // on every change: nothing falls between the two.
  const [older, setOlder] = useState<{ edges: Edge[]; more: boolean }>({ edges: [], more: true });
  const anchor = older.edges.at(-1)?.cursor;
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: PersonTimelineQuery,
    variables: anchor ? { address, first: 100, after: anchor } : { address, last: PAGE },
    requestPolicy: 'cache-and-network',
  });
  const client = useClient();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const { resend } = useSend();
  const person = data?.contact;
  const edges = [...older.edges, ...(person?.messages.edges ?? [])];
  const hasEarlier = older.edges.length ? older.more : (person?.messages.pageInfo.hasPreviousPage ?? false);
  const loadEarlier = async () => {
    const before = edges[0]?.cursor;
    if (!before || loadingOlder) return;
    setLoadingOlder(true);
    const result = await client.query(PersonTimelineQuery, { address, last: PAGE, before }, { requestPolicy: 'network-only' }).toPromise();
    setLoadingOlder(false);
    const page = result.data?.contact?.messages;
    if (page) setOlder((o) => ({ edges: [...page.edges, ...(o.edges.length ? o.edges : (person?.messages.edges ?? []))], more: page.pageInfo.hasPreviousPage }));
  };
  useTitle(`${person?.displayName ?? 'Contact'}: all conversations · Hatch`);
  const { conversations } = useInbox();
  const known = useObservable(conversations);
  const version = (person?.conversations ?? []).map((c) => (known.get(c.id) ? conversationVersion(known.get(c.id)!) : '')).join('|');
  useRereadOn(version, reexecute);
  useReloadOnGap(() => reexecute({ requestPolicy: 'network-only' }));
  const now = useNow(60_000);

  // Opens at the newest message; loading earlier ones keeps the place.
  const scroller = useRef<HTMLDivElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    if (!person || opened.current || !scroller.current) return;
    opened.current = true;
    scroller.current.scrollTop = scroller.current.scrollHeight;
  }, [person]);

  const displays = new Map((person?.addresses ?? []).map((a) => [a.address.toLowerCase(), a.display]));
  const numberOf = (a: string) => displays.get(a.toLowerCase()) ?? a;
  const title = safeDisplay(person?.displayName ?? '');
  let previousDay = '';
  return (
    <section className="thread person-view" aria-labelledby="person-title">
      <header className="thread-header">
        <button type="button" className="icon-button back" aria-label="Back" onClick={() => goBack({ view: 'contacts' })}>
          <BackIcon />
        </button>
        <div>
          <h2 className="thread-title" id="person-title">
            {person ? `${title}: all conversations` : 'All conversations'}
          </h2>
          {person && person.conversations.length > 0 && (
            <nav className="person-links person-reply" aria-label={`Reply to ${title}`}>
              <span>Reply at:</span>
              {person.conversations.map((c) => (
                <RouteLink key={c.id} to={{ view: 'thread', id: c.id }} className="link-button">
                  {safeDisplay(c.contact?.display ?? '')}
                </RouteLink>
              ))}
            </nav>
          )}
        </div>
      </header>
      <div className="message-area">
        <div className="message-scroll" ref={scroller} tabIndex={0} aria-label="Messages">
          {error && !data ? (
            <p className="thread-start">These conversations could not be loaded.</p>
          ) : fetching && !data ? (
            <p className="thread-start">Loading…</p>
          ) : !person || edges.length === 0 ? (
            <p className="thread-start">No messages with them yet.</p>
          ) : (
            <>
              <p className="thread-start">
                {hasEarlier ? (
                  <button type="button" className="link-button" disabled={loadingOlder} onClick={() => void loadEarlier()}>
                    {loadingOlder ? 'Loading earlier messages…' : 'Show earlier messages'}
                  </button>
                ) : (
                  'Start of their conversations'
                )}
              </p>
              <ol className="messages">
                {edges.map(({ node: m }) => {
                  const day = dayKey(m.createdAt);
                  const divider = day !== previousDay;
                  previousDay = day;
                  const inbound = m.direction === 'INBOUND';
                  return (
                    <Fragment key={m.id}>
                      {divider && (
                        <li className="day-divider">
                          <span>{dayLabel(m.createdAt, now)}</span>
                        </li>
                      )}
                      <MessageBubble message={m} ours={!inbound} senderName={inbound ? `From ${numberOf(m.from)}` : `To ${numberOf(m.to)}`} onResend={(x) => void resend(x)} />
                    </Fragment>
                  );
                })}
              </ol>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
