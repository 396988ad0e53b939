import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { TextField } from '../../components/text-field.tsx';
import { graphql } from '../../gql/gql.ts';
import { safeDisplay } from '../../lib/bidi.ts';

const PersonAddressesQuery = graphql(/* GraphQL */ `
  query PersonAddresses($address: String!) {
    contact(address: $address) {
      address
      addresses {
        address
        display
      }
    }
  }
`);

const MergeContactsMutation = graphql(/* GraphQL */ `
  mutation MergeContacts($input: MergeContactsInput!) {
    mergeContacts(input: $input) {
      contact {
        address
        name
        notes
      }
      undoId
      errors {
        field
        message
      }
    }
  }
`);

const UndoContactMergeMutation = graphql(/* GraphQL */ `
  mutation UndoContactMerge($id: ID!) {
    undoContactMerge(id: $id) {
      contact {
        address
        name
        notes
      }
      errors {
        message
      }
    }
  }
`);

interface Props {
  address: string;
  /** The person's name and notes changed (a merge joins both notes; an undo puts them back). */
  onChanged: (contact: { name?: string | null; notes?: string | null }) => void;
}

/**
 * A contact's numbers (a mobile and an office line), and adding one: a new number, or another
 * contact, whose numbers and conversations then belong to this person. Undo stays offered until
 * the dialog closes.
 */
export function ContactAddresses({ address, onChanged }: Props) {
  const [{ data }, refetch] = useQuery({ query: PersonAddressesQuery, variables: { address }, requestPolicy: 'network-only' });
  const [, merge] = useMutation(MergeContactsMutation);
  const [, undo] = useMutation(UndoContactMergeMutation);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ what: string; undoId: string } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const addresses = data?.contact?.addresses ?? [];

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !typed.trim()) return;
    setBusy(true);
    const result = await merge({ input: { into: address, address: typed } });
    setBusy(false);
    const payload = result.data?.mergeContacts;
    if (!payload) return setError('Hatch could not be reached; nothing changed. Try again.');
    if (payload.errors.length || !payload.contact || !payload.undoId) return setError(payload.errors.map((x) => x.message).join(' '));
    setError(null);
    setDone({ what: typed.trim(), undoId: payload.undoId });
    setStatus(`Added ${typed.trim()}.`);
    setTyped('');
    onChanged(payload.contact);
    refetch({ requestPolicy: 'network-only' });
  };
  const takeBack = async () => {
    if (!done || busy) return;
    setBusy(true);
    const result = await undo({ id: done.undoId });
    setBusy(false);
    const payload = result.data?.undoContactMerge;
    if (!payload) return setError('Hatch could not be reached; nothing changed. Try again.');
    if (payload.errors.length || !payload.contact) return setError(payload.errors.map((x) => x.message).join(' '));
    setStatus(`${done.what} is a contact of its own again.`);
    setDone(null);
    onChanged(payload.contact);
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <section className="contact-addresses" aria-label="Numbers">
      <h3 className="dialog-subtitle">Numbers</h3>
      <ul className="address-list">
        {addresses.map((a) => (
          <li key={a.address} dir="auto">
            {safeDisplay(a.display)}
          </li>
        ))}
      </ul>
      <form className="add-address" onSubmit={add} noValidate>
        <TextField
          label="Add a number or a contact"
          dir="auto"
          autoComplete="off"
          value={typed}
          error={error}
          hint="Their conversations show together, under one name."
          onChange={(e) => setTyped(e.target.value)}
        />
        <button type="submit" className="secondary-button" disabled={busy}>
          Add
        </button>
      </form>
      <p className="address-status" role="status">
        {status}{' '}
        {done && (
          <button type="button" className="link-button" onClick={() => void takeBack()}>
            Undo
          </button>
        )}
      </p>
    </section>
  );
}
