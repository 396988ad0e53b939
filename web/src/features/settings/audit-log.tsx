import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { AuditLogQuery } from '../../gql/graphql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { fullTime } from '../../lib/relative-time.ts';

const AuditLogQueryDocument = graphql(/* GraphQL */ `
  query AuditLog($first: Int!, $after: String) {
    auditLog(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          at
          action
          actorKind
          actorName
          targetKind
          targetName
          role
          address
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Entry = AuditLogQuery['auditLog']['edges'][number]['node'];

const PAGE = 25;
const role = (r: Entry['role']) => (r === 'ADMIN' ? 'an admin' : r === 'AGENT' ? 'an agent' : '');

/** One entry as a sentence: who did what to whom. Names are shown as they were at the time. */
export function describe(e: Entry): string {
  const who = e.actorKind === 'COMMAND' ? 'Someone at the server' : e.actorKind === 'TOKEN' ? `The API token “${e.actorName}”` : (e.actorName ?? 'Someone');
  const whom = e.targetName ?? '';
  switch (e.action) {
    case 'SIGN_IN':
      return `${who} signed in`;
    case 'SIGN_IN_FAILED':
      return `A sign-in as “${whom}” failed`;
    case 'SESSIONS_ENDED':
      return `${who} ended ${whom}`;
    case 'OPERATOR_CREATED':
      return `${who} added ${whom} as ${role(e.role)}`;
    case 'ROLE_CHANGED':
      return `${who} made ${whom} ${role(e.role)}`;
    case 'OPERATOR_DISABLED':
      return `${who} disabled ${whom}`;
    case 'OPERATOR_ENABLED':
      return `${who} enabled ${whom} again`;
    case 'TOKEN_CREATED':
      return `${who} created the API token “${whom}”`;
    case 'TOKEN_REVOKED':
      return `${who} revoked the API token “${whom}”`;
    case 'INVITATION_CREATED':
      return `${who} invited ${whom || 'someone'} as ${role(e.role)}`;
    case 'INVITATION_REVOKED':
      return `${who} revoked the invitation for ${whom || 'anyone with the link'}`;
    case 'INVITATION_ACCEPTED':
      return `${who} joined the team as ${role(e.role)}`;
    case 'CONTACT_ERASED':
      return `${who} erased a contact at their request: ${whom}`;
    case 'CONTACTS_EXPORTED':
      return `${who} exported the contacts (${whom})`;
    case 'CONTACTS_IMPORTED':
      return `${who} imported contacts: ${whom}`;
    case 'WEBHOOK_CREATED':
      return `${who} added the webhook ${whom}`;
    case 'WEBHOOK_CHANGED':
      return `${who} changed the webhook ${whom}`;
    case 'WEBHOOK_SECRET_ROTATED':
      return `${who} rotated the signing secret of the webhook ${whom}`;
    case 'WEBHOOK_DELETED':
      return `${who} deleted the webhook ${whom}`;
    default:
      return `${who}: ${e.action}`;
  }
}

/** Who did what and when, newest first, a page at a time (admins only; nobody can change it). */
export function AuditLog() {
  const [after, setAfter] = useState<string[]>([]);
  return (
    <>
      <p className="settings-text">Sign-ins, changes to the team, invitations and API tokens, newest first. Nobody can change or delete an entry.</p>
      <ol className="audit-log" aria-label="Audit log">
        {[undefined, ...after].map((cursor, i) => (
          <AuditPage key={cursor ?? 'first'} after={cursor} onMore={i === after.length ? (next) => setAfter((a) => [...a, next]) : undefined} />
        ))}
      </ol>
    </>
  );
}

function AuditPage({ after, onMore }: { after?: string; onMore?: (cursor: string) => void }) {
  const [{ data, error, fetching }] = useQuery({ query: AuditLogQueryDocument, variables: { first: PAGE, after: after ?? null }, requestPolicy: 'network-only' });
  if (error && !data) return <li className="list-note error">The audit log could not be loaded.</li>;
  if (fetching && !data) return <li className="list-note">Loading…</li>;
  const page = data?.auditLog;
  return (
    <>
      {page?.edges.map(({ node: e }) => (
        <li key={e.id} className="audit-entry" data-testid="audit-entry">
          <span dir="auto">{safeDisplay(describe(e))}</span>
          <span className="token-meta">
            <time dateTime={e.at}>{fullTime(e.at)}</time>
            {e.address ? ` · from ${e.address}` : ''}
          </span>
        </li>
      ))}
      {onMore && page?.pageInfo.hasNextPage && page.pageInfo.endCursor && (
        <li className="audit-more">
          <button type="button" className="secondary-button" onClick={() => onMore(page.pageInfo.endCursor!)}>
            Show older entries
          </button>
        </li>
      )}
    </>
  );
}
