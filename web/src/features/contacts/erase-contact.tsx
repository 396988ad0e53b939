import { useEffect, useRef, useState } from 'react';
import { useClient, useMutation } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { safeDisplay } from '../../lib/bidi.ts';

const ErasurePreviewQuery = graphql(/* GraphQL */ `
  query ErasurePreview($address: String!) {
    erasurePreview(address: $address) {
      conversations
      messages
      notes
    }
  }
`);

const EraseContactMutation = graphql(/* GraphQL */ `
  mutation EraseContact($address: String!) {
    eraseContact(address: $address) {
      erased {
        messages
      }
      errors {
        message
      }
    }
  }
`);

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

interface Props {
  address: string;
  /** How the contact is called: their name, else the number. */
  who: string;
  onErased: () => void;
}

/**
 * Erasure at a contact's request (admins): asks first, naming what goes (how many conversations,
 * messages and notes), then deletes it all. It cannot be undone.
 */
export function EraseContact({ address, who, onErased }: Props) {
  const client = useClient();
  const [, erase] = useMutation(EraseContactMutation);
  const [asking, setAsking] = useState<{ conversations: number; messages: number; notes: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  // The question takes the focus on its safe answer.
  useEffect(() => {
    if (asking) keep.current?.focus();
  }, [asking]);

  const ask = async () => {
    const result = await client.query(ErasurePreviewQuery, { address }, { requestPolicy: 'network-only' }).toPromise();
    const counts = result.data?.erasurePreview;
    if (!counts) return setProblem('Hatch could not be reached. Try again.');
    setProblem(null);
    setAsking(counts);
  };
  const confirm = async () => {
    setBusy(true);
    const result = await erase({ address });
    setBusy(false);
    const payload = result.data?.eraseContact;
    if (!payload || payload.errors.length) return setProblem(payload?.errors[0]?.message ?? 'Hatch could not be reached. Try again.');
    onErased();
  };

  const name = safeDisplay(who);
  return (
    <div className="erase-contact">
      {!asking ? (
        <button type="button" className="link-button danger" onClick={() => void ask()}>
          Erase this contact…
        </button>
      ) : (
        <div className="confirm" role="group" aria-label={`Erase ${name}?`}>
          <p>
            Erase {name} and everything Hatch holds about them: {plural(asking.conversations, 'conversation', 'conversations')},{' '}
            {plural(asking.messages, 'message', 'messages')} and {plural(asking.notes, 'note', 'notes')}. This cannot be undone. A number that opted out stays
            opted out.
          </p>
          <div className="confirm-actions">
            <button type="button" className="danger-button" disabled={busy} onClick={() => void confirm()}>
              Erase for good
            </button>
            <button ref={keep} type="button" className="secondary-button" onClick={() => setAsking(null)}>
              Keep
            </button>
          </div>
        </div>
      )}
      <p className="field-error" role="alert">
        {problem ?? ''}
      </p>
    </div>
  );
}
