import type { ReactNode } from 'react';
import { Avatar } from '../../components/avatar.tsx';
import { CheckIcon, ContactIcon, ReopenIcon, UnreadIcon } from '../../components/icons.tsx';
import { isPhoneNumber, reachesPhone } from '../../lib/phone.ts';
import type { ConversationNode } from './conversation-store.ts';
import { contactOf, conversationTitle } from './participants.ts';
import type { ConversationAction } from './use-conversation-actions.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { AssigneeSelect } from './assignee-select.tsx';
import { SnoozeSelect } from './snooze-select.tsx';
import { withoutChannel } from '../whatsapp/channel.ts';
import { ChannelBadge } from '../whatsapp/channel-badge.tsx';

interface Props {
  conversation: ConversationNode;
  back: ReactNode;
  onAction: (action: ConversationAction) => void;
  onEditContact: () => void;
}

/** Who a thread is with (named as everywhere, the number under a name), and what can be done with it. */
export function ThreadHeader({ conversation: c, back, onAction, onEditContact }: Props) {
  const contact = contactOf(c) ?? null;
  // The badge says WhatsApp: the name need not ("WhatsApp +1 555-123-4567" reads "+1 555-123-4567").
  const title = withoutChannel(conversationTitle(c));
  const whatsapp = c.channel === 'WHATSAPP';
  const sms = contact ? isPhoneNumber(contact) : c.participants.some(isPhoneNumber);
  // A named contact's number stays in view: it is what an SMS (or a WhatsApp message) goes to.
  const address = c.contact?.name ? safeDisplay(withoutChannel(c.contact.display)) : null;
  return (
    <header className="thread-header">
      {back}
      <Avatar who={title} phone={contact !== null && reachesPhone(contact)} size={36} />
      <div className="thread-heading">
        <h2 className="thread-title" dir="auto">
          {title}
        </h2>
        <p className="thread-subtitle">
          {address && <span dir="auto">{address} · </span>}
          {whatsapp ? <ChannelBadge channel={c.channel} /> : sms ? 'SMS' : 'Stored in Hatch only'}
          {c.done && ' · Done'}
          {contact === null && ' · choose who sends each reply'}
        </p>
        <div className="thread-fields">
          <AssigneeSelect conversation={c} />
          {!c.done && <SnoozeSelect conversation={c} />}
        </div>
        {c.contact?.notes && (
          <p className="thread-notes" dir="auto" title={safeDisplay(c.contact.notes)}>
            {safeDisplay(c.contact.notes)}
          </p>
        )}
      </div>
      <div className="thread-actions">
        {c.contact && (
          <button type="button" className="icon-button" aria-label="Edit contact" title="Edit contact" onClick={onEditContact}>
            <ContactIcon />
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Mark unread" title="Mark unread (u)" onClick={() => onAction('unread')}>
          <UnreadIcon />
        </button>
        {c.done ? (
          <button type="button" className="icon-button" aria-label="Reopen" title="Reopen (e)" onClick={() => onAction('open')}>
            <ReopenIcon />
          </button>
        ) : (
          <button type="button" className="icon-button" aria-label="Mark done" title="Mark done (e)" onClick={() => onAction('done')}>
            <CheckIcon />
          </button>
        )}
      </div>
    </header>
  );
}
