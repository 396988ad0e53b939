import type { MouseEvent } from 'react';
import { Avatar } from '../../components/avatar.tsx';
import { fullTime, relativeTime } from '../../lib/relative-time.ts';
import { reachesPhone } from '../../lib/phone.ts';
import { navigate } from '../../lib/router.ts';
import type { ConversationNode } from './conversation-store.ts';
import { contactOf, conversationTitle } from './participants.ts';
import { previewOf } from './preview.ts';
import { useMe } from './assignee.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { snoozeMarker } from './snooze.ts';
import { withoutChannel } from '../whatsapp/channel.ts';
import { ChannelBadge } from '../whatsapp/channel-badge.tsx';

export { ConversationItemFragment } from './conversation-fragment.ts';

interface Props {
  conversation: ConversationNode;
  active: boolean;
  now: Date;
  /** The list's one Tab stop (roving focus): the arrow keys move it between rows. */
  tabbable: boolean;
  onFocus: () => void;
}

export function ConversationRow({ conversation: c, active, now, tabbable, onFocus }: Props) {
  const me = useMe();
  // The badge says WhatsApp: the name need not ("WhatsApp +1 555-123-4567" reads "+1 555-123-4567").
  const who = withoutChannel(conversationTitle(c));
  const contact = contactOf(c);
  const unread = c.unreadCount > 0;
  const preview = previewOf(c, me);
  const marker = snoozeMarker(c, now.getTime());
  const optedOut = c.contact ? c.contact.optedOut : c.contacts.some((x) => x.optedOut);
  const href = `/c/${c.id}`;
  const open = (e: MouseEvent) => {
    // Modified clicks keep their browser meaning (new tab, new window).
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate({ view: 'thread', id: c.id });
  };
  return (
    <li className={`conversation${unread ? ' unread' : ''}`} data-conversation-id={c.id} data-contact={contact ?? c.participants.join(' & ')}>
      <a href={href} onClick={open} onFocus={onFocus} tabIndex={tabbable ? 0 : -1} aria-current={active ? 'page' : undefined}>
        <Avatar who={who} phone={contact !== undefined && reachesPhone(contact)} />
        <span className="conversation-text">
          <span className="conversation-top">
            <span className="conversation-name" dir="auto">
              {who}
            </span>
            <ChannelBadge channel={c.channel} />
            {optedOut && <span className="tag tag-warn">Opted out</span>}
            {c.done && <span className="tag">Done</span>}
            {marker && (
              <span className="tag tag-snooze" title={marker}>
                {marker}
              </span>
            )}
            {c.assignee && (
              <span className="tag tag-assignee" dir="auto" title={`Assigned to ${safeDisplay(c.assignee.name)}`}>
                {c.assignee.id === me ? 'Mine' : safeDisplay(c.assignee.name)}
              </span>
            )}
            <time className="conversation-time" dateTime={c.lastMessageAt} title={fullTime(c.lastMessageAt)}>
              {relativeTime(c.lastMessageAt, now)}
            </time>
          </span>
          <span className="conversation-bottom">
            <span className="conversation-preview">
              {preview.failure && <span className="preview-failed">{preview.failure} · </span>}
              {preview.author}
              {/* The text goes its own way (Arabic, Hebrew) without moving "You:" or the status. */}
              <bdi className="preview-text" dir="auto">
                {preview.text}
              </bdi>
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
