import './whatsapp.css';
import type { MessageChannel } from '../../gql/graphql.ts';

/** The channel of a conversation where it is not plain SMS or a note: WhatsApp, on its row and in its header. */
export function ChannelBadge({ channel }: { channel: MessageChannel }) {
  if (channel !== 'WHATSAPP') return null;
  return (
    <span className="tag tag-whatsapp" data-testid="channel-badge" title="This conversation is on WhatsApp">
      WhatsApp
    </span>
  );
}
