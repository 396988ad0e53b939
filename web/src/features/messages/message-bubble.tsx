import { graphql } from '../../gql/gql.ts';
import { clockTime, fullTime } from '../../lib/relative-time.ts';
import type { PendingSend } from './pending-store.ts';
import { Attachments } from './attachments.tsx';
import { safeMedia } from './media.ts';
import type { MessageNode } from './message-store.ts';
import { statusLine } from './status-text.ts';

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

interface BubbleProps {
  message: MessageNode;
  /** Written from this inbox's side: shown on the right, with who wrote it. */
  ours: boolean;
  /** Neither side is known to be ours: every bubble says which participant it is from. */
  nameSender: boolean;
}

/** Who wrote a message of ours, when it was a person or a program rather than Hatch itself. */
function authorName(m: Pick<MessageNode, 'sentBy'>): string | null {
  return (m.sentBy.kind === 'OPERATOR' || m.sentBy.kind === 'TOKEN') && m.sentBy.name ? m.sentBy.name : null;
}

export function MessageBubble({ message: m, ours, nameSender }: BubbleProps) {
  const status = statusLine(m);
  const kind = ours ? (m.channel === 'INTERNAL' ? 'out stored' : 'out') : 'in';
  const author = ours ? authorName(m) : null;
  return (
    <li className={`message ${kind}`} data-message-id={m.id}>
      {nameSender && <p className="sender-name">{m.from}</p>}
      <div className="bubble">
        {/* An MMS may be a picture alone. */}
        {m.body !== '' && (
          <p className="body" data-testid="message-body">
            {m.body}
          </p>
        )}
        <Attachments media={safeMedia(m.media)} />
      </div>
      <p className="meta">
        {author ? (
          <span className="sent-by" data-testid="sent-by">
            Sent by {author}
          </span>
        ) : (
          !nameSender && <span className="visually-hidden">{ours ? 'You' : m.from}, </span>
        )}
        <time dateTime={m.createdAt} title={fullTime(m.createdAt)}>
          {clockTime(m.createdAt)}
        </time>
        {status && (
          <span className={`status status-${status.tone}`} data-testid="message-status">
            {status.text}
          </span>
        )}
      </p>
    </li>
  );
}

/** A message the server has not answered for yet, or could not be reached for. */
export function PendingBubble({ pending, onRetry }: { pending: PendingSend; onRetry: (key: string) => void }) {
  const failed = pending.state === 'failed';
  return (
    <li className="message out pending" data-pending-key={pending.key}>
      <div className="bubble">
        <p className="body" data-testid="message-body">
          {pending.body}
        </p>
      </div>
      <p className="meta">
        {failed ? (
          <>
            <span className="status status-error" data-testid="message-status">
              not sent
            </span>
            <button type="button" className="link-button" onClick={() => onRetry(pending.key)}>
              Retry
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
