import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { useRereadOn } from '../../lib/use-reread.ts';
import { formatWhen, fromLocalInput, toLocalInput } from './when.ts';
import './scheduling.css';

const ScheduledMessagesQuery = graphql(/* GraphQL */ `
  query ScheduledMessages($id: ID!) {
    conversation(id: $id) {
      id
      scheduledMessages {
        id
        body
        sendAt
        status
        errorMessage
        sentBy {
          name
        }
      }
    }
  }
`);

const UpdateScheduledMutation = graphql(/* GraphQL */ `
  mutation UpdateScheduledMessage($input: UpdateScheduledMessageInput!) {
    updateScheduledMessage(input: $input) {
      scheduled {
        id
        body
        sendAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const CancelScheduledMutation = graphql(/* GraphQL */ `
  mutation CancelScheduledMessage($id: ID!) {
    cancelScheduledMessage(id: $id) {
      errors {
        code
        message
      }
    }
  }
`);

const CANNOT_REACH = 'Hatch could not be reached. Try again.';

interface Props {
  conversationId: string;
  /** The conversation's scheduledChangedAt: read again whenever it moves (any window's change). */
  version: string;
}

/**
 * A thread's messages waiting to be sent, under its messages: each with when it goes, Edit and
 * Cancel; one that could not be sent says why, with Dismiss.
 */
export function ScheduledList({ conversationId, version }: Props) {
  const [{ data }, reexecute] = useQuery({ query: ScheduledMessagesQuery, variables: { id: conversationId }, requestPolicy: 'cache-and-network' });
  useRereadOn(version, reexecute);
  const items = data?.conversation?.scheduledMessages ?? [];
  if (items.length === 0) return null;
  const reread = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <section className="scheduled" aria-label="Scheduled messages">
      <ul>
        {items.map((s) => (
          <ScheduledItem key={s.id} item={s} onChanged={reread} />
        ))}
      </ul>
    </section>
  );
}

interface Item {
  id: string;
  body: string;
  sendAt: string;
  status: string;
  errorMessage?: string | null;
  sentBy: { name?: string | null };
}

function ScheduledItem({ item, onChanged }: { item: Item; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, cancel] = useMutation(CancelScheduledMutation);
  const failed = item.status === 'FAILED';
  const headingId = useId();
  const onCancel = async () => {
    const result = await cancel({ id: item.id });
    const payload = result.data?.cancelScheduledMessage;
    if (!payload) return setError(CANNOT_REACH);
    if (payload.errors.length) return setError(payload.errors.map((e) => e.message).join(' '));
    onChanged();
  };
  return (
    <li className={`scheduled-item${failed ? ' failed' : ''}`} aria-labelledby={headingId}>
      <p id={headingId} className="scheduled-when">
        {failed ? `Not sent (was due ${formatWhen(item.sendAt)})` : `Scheduled for ${formatWhen(item.sendAt)}`}
        {item.sentBy.name ? <span className="scheduled-by"> · by {safeDisplay(item.sentBy.name)}</span> : null}
      </p>
      {editing ? (
        <ScheduledEdit
          item={item}
          onDone={(changed) => {
            setEditing(false);
            if (changed) onChanged();
          }}
        />
      ) : (
        <>
          <p className="scheduled-body" dir="auto">
            {safeDisplay(item.body)}
          </p>
          {failed && item.errorMessage && <p className="field-error">{item.errorMessage}</p>}
          <div className="scheduled-actions">
            {!failed && (
              <button type="button" className="secondary-button" onClick={() => setEditing(true)}>
                Edit
              </button>
            )}
            <button type="button" className="secondary-button" onClick={() => void onCancel()}>
              {failed ? 'Dismiss' : 'Cancel sending'}
            </button>
          </div>
        </>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function ScheduledEdit({ item, onDone }: { item: Item; onDone: (changed: boolean) => void }) {
  const [body, setBody] = useState(item.body);
  const [when, setWhen] = useState(toLocalInput(new Date(item.sendAt)));
  const [error, setError] = useState<string | null>(null);
  const [, update] = useMutation(UpdateScheduledMutation);
  const ids = { body: useId(), when: useId(), error: useId() };
  const save = async () => {
    const sendAt = fromLocalInput(when);
    if (!sendAt) return setError('Choose a date and time.');
    const result = await update({ input: { id: item.id, body, sendAt: sendAt.toISOString() } });
    const payload = result.data?.updateScheduledMessage;
    if (!payload) return setError(CANNOT_REACH);
    if (payload.errors.length) return setError(payload.errors.map((e) => e.message).join(' '));
    onDone(true);
  };
  return (
    <form
      className="scheduled-edit"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onDone(false);
        }
      }}
    >
      <label htmlFor={ids.body}>Message</label>
      <textarea id={ids.body} value={body} dir="auto" rows={2} autoFocus aria-describedby={error ? ids.error : undefined} onChange={(e) => setBody(e.target.value)} />
      <label htmlFor={ids.when}>Send at</label>
      <input id={ids.when} type="datetime-local" value={when} aria-describedby={error ? ids.error : undefined} onChange={(e) => setWhen(e.target.value)} />
      {error && (
        <p id={ids.error} className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="scheduled-actions">
        <button type="submit" className="secondary-button">
          Save
        </button>
        <button type="button" className="link-button" onClick={() => onDone(false)}>
          Keep as it was
        </button>
      </div>
    </form>
  );
}
