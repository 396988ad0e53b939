import { graphql } from '../../gql/gql.ts';
import { clockTime, fullTime } from '../../lib/relative-time.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import type { PendingSend } from './pending-store.ts';
import { Attachments } from './attachments.tsx';
import { safeMedia } from './media.ts';
import type { MessageNode } from './message-store.ts';
import { statusLine, statusText } from './status-text.ts';

export const MessageBubbleFragment = graphql(/* GraphQL */ `
  fragment MessageBubble on Message {
    id
    conversationId
    from
    to
    body
    direction
    channel
    status
    errorCode
    errorMessage
    segments
    encoding
    media {
      url
      contentType
    }
    sentBy {
      kind
      name
    }
    createdAt
    updatedAt
  }
`);

/** Twilio's code for a recipient who opted out. */
const OPTED_OUT_ERROR = '21610';

interface BubbleProps {
  message: MessageNode;
  /** Written from this inbox's side: shown on the right, with who wrote it. */
  ours: boolean;
  /** Neither side is known to be ours: the bubble says who it is from. */
  senderName: string | null;
  /** Sends the same text again as a new message (a failed one stays as it was). */
  onResend: (m: MessageNode) => void;
}

/** Who wrote a message of ours, when it was a person or a program rather than Hatch itself. */
function authorName(m: Pick<MessageNode, 'sentBy'>): string | null {
  return (m.sentBy.kind === 'OPERATOR' || m.sentBy.kind === 'TOKEN') && m.sentBy.name ? m.sentBy.name : null;
}

export function MessageBubble({ message: m, ours, senderName, onResend }: BubbleProps) {
  const status = statusLine(m);
  const failed = status?.tone === 'error';
  const kind = ours ? (m.channel === 'INTERNAL' ? 'out stored' : 'out') : 'in';
  const author = ours ? authorName(m) : null;
  return (
    <li className={`message ${kind}${failed ? ' failed' : ''}`} data-message-id={m.id}>
      {senderName !== null && (
        <p className="sender-name" dir="auto">
          {safeDisplay(senderName)}
        </p>
      )}
      <div className="bubble">
        {/* An MMS may be a picture alone. */}
        {m.body !== '' && (
          <p className="body" data-testid="message-body" dir="auto">
            {safeDisplay(m.body)}
          </p>
        )}
        <Attachments media={safeMedia(m.media)} />
      </div>
      <p className="meta">
        {author ? (
          <span className="sent-by" data-testid="sent-by">
            Sent by {safeDisplay(author)}
          </span>
        ) : (
          senderName === null && <span className="visually-hidden">{ours ? 'You' : safeDisplay(m.from)}, </span>
        )}
        <time dateTime={m.createdAt} title={fullTime(m.createdAt)}>
          {clockTime(m.createdAt)}
        </time>
        {status && (
          <span className={`status status-${status.tone}`} data-testid="message-status" dir="auto">
            {statusText(status)}
          </span>
        )}
        {/* Sending again to a number that opted out would only be refused again. */}
        {failed && m.errorCode !== OPTED_OUT_ERROR && (
          <button type="button" className="link-button" onClick={() => onResend(m)}>
            Resend
          </button>
        )}
      </p>
    </li>
  );
}

/** A message the server has not answered for yet, or could not be reached for. */
export function PendingBubble({ pending, onRetry, onDiscard }: { pending: PendingSend; onRetry: (key: string) => void; onDiscard: (key: string) => void }) {
  const failed = pending.state === 'failed';
  return (
    <li className={`message out pending${failed ? ' failed' : ''}`} data-pending-key={pending.key}>
      <div className="bubble">
        <p className="body" data-testid="message-body" dir="auto">
          {safeDisplay(pending.body)}
        </p>
      </div>
      <p className="meta">
        {pending.error ? (
          <>
            <span className="status status-error" data-testid="message-status" dir="auto">
              Not sent: {pending.error}
            </span>
            <button type="button" className="link-button" onClick={() => onDiscard(pending.key)}>
              Discard
            </button>
          </>
        ) : failed ? (
          <>
            <span className="status status-error" data-testid="message-status">
              Not sent · kept here, sent when the connection is back
            </span>
            <button type="button" className="link-button" onClick={() => onRetry(pending.key)}>
              Retry now
            </button>
          </>
        ) : (
          <span className="status status-pending" data-testid="message-status">
            sending…
          </span>
        )}
      </p>
    </li>
  );
}
