import type { MouseEvent } from 'react';
import { Avatar } from '../../components/avatar.tsx';
import { graphql } from '../../gql/gql.ts';
import { fullTime, relativeTime } from '../../lib/relative-time.ts';
import { navigate } from '../../lib/router.ts';
import type { ConversationNode } from './conversation-store.ts';
import { contactOf, conversationTitle } from './participants.ts';

// Everything a row needs; the thread header and the live feed use it too, so one copy of a
// conversation serves every view.
export const ConversationItemFragment = graphql(/* GraphQL */ `
  fragment ConversationItem on Conversation {
    id
    participants
    lastMessageAt
    lastReadAt
    unreadCount
    ours
    contact {
      address
      optedOut
    }
    contacts {
      address
      optedOut
    }
    lastMessage {
      id
      from
      to
      body
      direction
      channel
      status
      createdAt
      updatedAt
    }
  }
`);

interface Props {
  conversation: ConversationNode;
  active: boolean;
  now: Date;
}

export function ConversationRow({ conversation: c, active, now }: Props) {
  const who = conversationTitle(c);
  const unread = c.unreadCount > 0;
  const last = c.lastMessage;
  // Whose words the preview shows: ours, the contact's (no prefix), or, when neither side is ours, the sender's name.
  const author = !last ? '' : c.ours === null ? `${last.from}: ` : last.from === c.ours ? 'You: ' : '';
  const preview = last ? `${author}${last.body}` : 'No messages yet';
  const failed = last?.direction === 'OUTBOUND' && (last.status === 'FAILED' || last.status === 'UNDELIVERED');
  const href = `/c/${c.id}`;
  const open = (e: MouseEvent) => {
    // Modified clicks keep their browser meaning (new tab, new window).
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate({ view: 'thread', id: c.id });
  };
  return (
    <li className={`conversation${unread ? ' unread' : ''}`} data-conversation-id={c.id}>
      <a href={href} onClick={open} aria-current={active ? 'page' : undefined}>
        <Avatar who={contactOf(c) ?? c.participants[0] ?? '?'} />
        <span className="conversation-text">
          <span className="conversation-top">
            <span className="conversation-name">{who}</span>
            <time className="conversation-time" dateTime={c.lastMessageAt} title={fullTime(c.lastMessageAt)}>
              {relativeTime(c.lastMessageAt, now)}
            </time>
          </span>
          <span className="conversation-bottom">
            <span className="conversation-preview">
              {failed && <span className="preview-failed">Not delivered · </span>}
              {preview}
            </span>
            {unread && (
              <span className="badge" data-testid="unread-badge" aria-label={`${c.unreadCount} unread`}>
                {c.unreadCount > 99 ? '99+' : c.unreadCount}
              </span>
            )}
          </span>
        </span>
      </a>
    </li>
  );
}
