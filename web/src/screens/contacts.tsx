import { useState } from 'react';
import { useQuery } from 'urql';
import { BackIcon } from '../components/icons.tsx';
import { RouteLink } from '../components/route-link.tsx';
import { TextField } from '../components/text-field.tsx';
import { graphql } from '../gql/gql.ts';
import type { ContactsPageQuery } from '../gql/graphql.ts';
import { safeDisplay } from '../lib/bidi.ts';
import { goBack } from '../lib/router.ts';
import { useDebounced } from '../lib/use-debounced.ts';
import { useTitle } from '../lib/use-title.ts';
import { ContactEditor } from '../features/contacts/contact-editor.tsx';
import { ContactsTransfer } from '../features/contacts/contacts-transfer.tsx';
import { useIsAdmin } from '../features/conversations/assignee.ts';
import '../features/contacts/contacts.css';
import '../features/settings/settings.css';

const ContactsPageDocument = graphql(/* GraphQL */ `
  query ContactsPage($search: String, $after: String) {
    contacts(search: $search, first: 50, after: $after) {
      edges {
        node {
          address
          display
          name
          notes
          optedOut
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
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type ContactNode = ContactsPageQuery['contacts']['edges'][number]['node'];

/** Everyone the inbox talks to: searched by name or number, edited, and (admins) in and out as CSV. */
export function Contacts() {
  useTitle('Contacts · Hatch');
  const admin = useIsAdmin();
  const [search, setSearch] = useState('');
  const settled = useDebounced(search.trim(), 200);
  const [pages, setPages] = useState<string[]>([]);
  const [editing, setEditing] = useState<ContactNode | null>(null);
  // A new search, an import or an edit: read the list again from its start.
  const [version, setVersion] = useState(0);
  const again = () => {
    setPages([]);
    setVersion((v) => v + 1);
  };

  return (
    <section className="thread contacts-view" aria-labelledby="contacts-title">
      <header className="thread-header">
        <button type="button" className="icon-button back" aria-label="Back to conversations" onClick={() => goBack({ view: 'list' })}>
          <BackIcon />
        </button>
        <h2 className="thread-title" id="contacts-title">
          Contacts
        </h2>
      </header>
      <div className="settings-scroll">
        <div className="settings-section">
          <TextField
            label="Search contacts"
            type="search"
            dir="auto"
            autoComplete="off"
            placeholder="A name or a part of a number"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPages([]);
            }}
          />
          <ul className="contact-list" aria-label="Contacts">
            {[undefined, ...pages].map((after, i) => (
              <ContactsPage
                key={`${version}:${settled}:${after ?? ''}`}
                search={settled}
                after={after}
                onEdit={setEditing}
                onMore={i === pages.length ? (cursor) => setPages((p) => [...p, cursor]) : undefined}
              />
            ))}
          </ul>
        </div>
        {admin && (
          <section className="settings-section" aria-labelledby="transfer-title">
            <h3 id="transfer-title">Import and export</h3>
            <p className="settings-text">
              CSV with a header: <code>number,name,notes</code>. Numbers are read as in the To field; importing the same file twice changes nothing.
            </p>
            <ContactsTransfer onImported={again} />
          </section>
        )}
      </div>
      {editing && (
        <ContactEditor
          address={editing.address}
          display={editing.display}
          name={editing.name ?? null}
          notes={editing.notes ?? null}
          onClose={() => {
            setEditing(null);
            again();
          }}
          onErased={
            admin
              ? () => {
                  setEditing(null);
                  again();
                }
              : undefined
          }
        />
      )}
    </section>
  );
}

function ContactsPage({ search, after, onEdit, onMore }: { search: string; after?: string; onEdit: (c: ContactNode) => void; onMore?: (cursor: string) => void }) {
  const [{ data, error, fetching }] = useQuery({ query: ContactsPageDocument, variables: { search: search || null, after: after ?? null }, requestPolicy: 'network-only' });
  if (error && !data) return <li className="list-note error">Contacts could not be loaded.</li>;
  if (fetching && !data) return <li className="list-note">Loading…</li>;
  const page = data?.contacts;
  if (!after && page?.edges.length === 0) return <li className="list-note">{search ? 'No contact matches.' : 'No contacts yet: they come with conversations, or from an import.'}</li>;
  return (
    <>
      {page?.edges.map(({ node: c }) => (
        <li key={c.address} className="contact-item" data-testid="contact">
          <div className="contact-who">
            <span className="contact-name" dir="auto">
              {safeDisplay(c.name ?? c.display)}
            </span>
            {c.name && <span className="contact-number">{c.addresses.map((a) => a.display).join(' · ')}</span>}
            {!c.name && c.addresses.length > 1 && <span className="contact-number">{c.addresses.slice(1).map((a) => a.display).join(' · ')}</span>}
            {c.optedOut && <span className="token-state token-state-revoked">Opted out</span>}
          </div>
          {c.notes && (
            <p className="contact-notes" dir="auto">
              {safeDisplay(c.notes)}
            </p>
          )}
          <div className="contact-actions">
            <button type="button" className="secondary-button" onClick={() => onEdit(c)}>
              Edit<span className="visually-hidden"> {safeDisplay(c.name ?? c.display)}</span>
            </button>
            {c.conversations.length === 1 && (
              <RouteLink to={{ view: 'thread', id: c.conversations[0]!.id }} className="link-button">
                Open conversation<span className="visually-hidden"> with {safeDisplay(c.name ?? c.display)}</span>
              </RouteLink>
            )}
            {c.conversations.length > 1 && (
              <RouteLink to={{ view: 'person', address: c.address }} className="link-button">
                All conversations<span className="visually-hidden"> with {safeDisplay(c.name ?? c.display)}</span>
              </RouteLink>
            )}
            {/* Several (one a number): each, by the number it is with, most recent first. */}
            {c.conversations.length > 1 &&
              c.conversations.slice(0, 4).map((conversation) => (
                <RouteLink key={conversation.id} to={{ view: 'thread', id: conversation.id }} className="link-button">
                  Open<span className="visually-hidden"> the conversation of {safeDisplay(c.name ?? c.display)} with</span> {safeDisplay(conversation.contact?.display ?? '')}
                </RouteLink>
              ))}
          </div>
        </li>
      ))}
      {onMore && page?.pageInfo.hasNextPage && page.pageInfo.endCursor && (
        <li className="audit-more">
          <button type="button" className="secondary-button" onClick={() => onMore(page.pageInfo.endCursor!)}>
            Show more contacts
          </button>
        </li>
      )}
    </>
  );
}
