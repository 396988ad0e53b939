import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { OperatorRole } from '../../gql/graphql.ts';
import { TextField } from '../../components/text-field.tsx';
import { fullTime } from '../../lib/relative-time.ts';
import { NewToken } from './new-token.tsx';

const InvitationsQuery = graphql(/* GraphQL */ `
  query Invitations {
    invitations {
      id
      role
      email
      expiresAt
      createdBy
    }
  }
`);

const CreateInvitationMutation = graphql(/* GraphQL */ `
  mutation CreateInvitation($role: OperatorRole!, $email: String) {
    createInvitation(role: $role, email: $email) {
      path
      invitation {
        id
      }
      errors {
        field
        message
      }
    }
  }
`);

const RevokeInvitationMutation = graphql(/* GraphQL */ `
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) {
      invitation {
        id
      }
      errors {
        message
      }
    }
  }
`);

const ROLE = { ADMIN: 'Admin', AGENT: 'Agent' } as const;

/**
 * Inviting a colleague: a one-time link (7 days, revocable) the admin passes on however they like;
 * the colleague chooses their own name and password. Pending invitations are listed to revoke.
 */
export function Invitations() {
  const [{ data, error }, reload] = useQuery({ query: InvitationsQuery, requestPolicy: 'cache-and-network' });
  const [, create] = useMutation(CreateInvitationMutation);
  const [, revoke] = useMutation(RevokeInvitationMutation);
  const [role, setRole] = useState<OperatorRole>('AGENT');
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [made, setMade] = useState<{ link: string; role: OperatorRole } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const roleName = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await create({ role, email: email.trim() || null });
    setBusy(false);
    const payload = result.data?.createInvitation;
    if (!payload) return setProblem('Hatch could not be reached. Try again.');
    const emailProblem = payload.errors.find((x) => x.field === 'email');
    setEmailError(emailProblem?.message ?? null);
    if (payload.errors.length || !payload.path) return setProblem(emailProblem ? null : (payload.errors[0]?.message ?? null));
    setProblem(null);
    setEmail('');
    setMade({ link: `${window.location.origin}${payload.path}`, role });
    reload({ requestPolicy: 'network-only' });
  };

  const end = async (id: string) => {
    const result = await revoke({ id });
    const errors = result.data?.revokeInvitation.errors ?? [];
    if (!result.data || errors.length) return setProblem(errors[0]?.message ?? 'Hatch could not be reached. Try again.');
    setProblem(null);
    setDone('The invitation has been revoked: its link no longer works.');
    reload({ requestPolicy: 'network-only' });
  };

  const pending = data?.invitations ?? [];
  return (
    <>
      <p className="settings-text">Invite a colleague with a link that works once, for 7 days. They choose their own name and password.</p>
      {made ? (
        <NewToken
          name="invitation"
          secret={made.link}
          heading={`Invitation link for an ${made.role === 'ADMIN' ? 'admin' : 'agent'}`}
          note="Send it to your colleague; it works once, for 7 days, and you can revoke it below."
          label="Invitation link"
          onDone={() => setMade(null)}
        />
      ) : (
        <form className="token-form" onSubmit={submit} noValidate>
          <TextField
            label="Their email (optional)"
            type="email"
            autoComplete="off"
            hint="When given, only this email can join with the link."
            value={email}
            error={emailError ?? undefined}
            onChange={(e) => {
              setEmail(e.target.value);
              setEmailError(null);
            }}
          />
          <fieldset className="choice">
            <legend>Role</legend>
            {(['AGENT', 'ADMIN'] as const).map((r) => (
              <label key={r} className="choice-option">
                <input type="radio" name={roleName} value={r} checked={role === r} onChange={() => setRole(r)} />
                <span>
                  <span className="choice-label">{ROLE[r]}</span>
                  <span className="choice-hint">{r === 'ADMIN' ? 'Also manages the team, API tokens and settings.' : 'Conversations, contacts and saved replies.'}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <button type="submit" className="primary-button" disabled={busy}>
            Create invitation link
          </button>
        </form>
      )}
      {error && !data ? (
        <p className="list-note error">Invitations could not be loaded.</p>
      ) : pending.length ? (
        <ul className="sessions" aria-label="Pending invitations">
          {pending.map((i) => (
            <li key={i.id} className="session" data-testid="invitation">
              <h4 className="token-name">
                {i.email ?? 'Anyone with the link'} · {ROLE[i.role]}
              </h4>
              <p className="token-meta">
                {i.createdBy ? `By ${i.createdBy} · ` : ''}Works until <time dateTime={i.expiresAt}>{fullTime(i.expiresAt)}</time>
              </p>
              <button type="button" className="secondary-button danger" onClick={() => void end(i.id)}>
                Revoke<span className="visually-hidden"> the invitation for {i.email ?? 'anyone with the link'}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="field-error" role="alert">
        {problem ?? ''}
      </p>
      <p className="visually-hidden" role="status">
        {done}
      </p>
    </>
  );
}
