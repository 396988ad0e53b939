import { useQuery } from 'urql';
import { RouteLink } from '../../components/route-link.tsx';
import { graphql } from '../../gql/gql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { useRereadOn } from '../../lib/use-reread.ts';
import './contacts.css';

const PersonConversationsQuery = graphql(/* GraphQL */ `
  query PersonConversations($address: String!) {
    contact(address: $address) {
      address
      displayName
      conversations {
        id
        contact {
          display
        }
      }
    }
  }
`);

interface Props {
  conversationId: string;
  /** The other side of this conversation. */
  address: string;
  /** The person's addresses: when a merge or its undo changes them, read again. */
  version: string;
}

/**
 * One person's other conversations (at their other numbers), a link each, above the thread: the
 * person's whole history is a click away from any of their threads.
 */
export function PersonConversations({ conversationId, address, version }: Props) {
  const [{ data }, reexecute] = useQuery({ query: PersonConversationsQuery, variables: { address }, requestPolicy: 'cache-and-network' });
  useRereadOn(version, reexecute);
  const person = data?.contact;
  const others = person?.conversations.filter((c) => c.id !== conversationId) ?? [];
  if (!person || others.length === 0) return null;
  const who = safeDisplay(person.displayName);
  return (
    <nav className="person-links" aria-label={`Other conversations with ${who}`}>
      <span>Also with {who}:</span>
      {others.slice(0, 4).map((c) => (
        <RouteLink key={c.id} to={{ view: 'thread', id: c.id }} className="link-button">
          {safeDisplay(c.contact?.display ?? '')}
        </RouteLink>
      ))}
      <RouteLink to={{ view: 'person', address }} className="link-button">
        All together
      </RouteLink>
    </nav>
  );
}
