import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { OperatorRole } from '../../gql/graphql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { useMe } from '../conversations/assignee.ts';

const TeamRolesQuery = graphql(/* GraphQL */ `
  query TeamRoles {
    operators(includeDisabled: true) {
      id
      name
      role
      disabled
    }
  }
`);

const SetRoleMutation = graphql(/* GraphQL */ `
  mutation SetOperatorRole($id: ID!, $role: OperatorRole!) {
    setOperatorRole(id: $id, role: $role) {
      operator {
        id
        name
        role
        disabled
      }
      errors {
        message
      }
    }
  }
`);

const DisableMutation = graphql(/* GraphQL */ `
  mutation DisableOperator($id: ID!) {
    disableOperator(id: $id) {
      operator {
        id
        disabled
      }
      errors {
        message
      }
    }
  }
`);

const EnableMutation = graphql(/* GraphQL */ `
  mutation EnableOperator($id: ID!) {
    enableOperator(id: $id) {
      operator {
        id
        disabled
      }
      errors {
        message
      }
    }
  }
`);

interface Member {
  id: string;
  name: string;
  role: OperatorRole;
  disabled: boolean;
}

/**
 * The team, for an admin: each one's role, and disabling someone who has left (their sessions and
 * tokens end at once) or enabling them again. Admins manage the team and API tokens, agents work
 * the conversations.
 */
export function Team() {
  const me = useMe();
  const [{ data, error }, reload] = useQuery({ query: TeamRolesQuery, requestPolicy: 'cache-and-network' });
  const [, setRole] = useMutation(SetRoleMutation);
  const [, disable] = useMutation(DisableMutation);
  const [, enable] = useMutation(EnableMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const ids = useId();

  /** Runs a change; its first error, or null when it worked (and says so). */
  const apply = async (change: Promise<{ errors: { message: string }[] } | undefined>, said: string) => {
    const payload = await change;
    // Read again either way: a refusal shows the team as it is, a change shows its effect.
    reload({ requestPolicy: 'network-only' });
    if (!payload || payload.errors.length) {
      setProblem(payload?.errors[0]?.message ?? 'Hatch could not be reached. Try again.');
      return false;
    }
    setProblem(null);
    setDone(said);
    return true;
  };
  const changeRole = (o: Member, role: OperatorRole) =>
    apply(setRole({ id: o.id, role }).then((r) => r.data?.setOperatorRole), `${o.name} is now ${role === 'ADMIN' ? 'an admin' : 'an agent'}.`);
  const setDisabled = (o: Member, off: boolean) =>
    apply(
      off ? disable({ id: o.id }).then((r) => r.data?.disableOperator) : enable({ id: o.id }).then((r) => r.data?.enableOperator),
      off ? `${o.name} is disabled: their sessions and tokens have ended.` : `${o.name} can sign in again.`,
    );

  if (error && !data) return <p className="list-note error">The team could not be loaded.</p>;
  return (
    <>
      <p className="settings-text">Admins also manage the team, API tokens and settings; agents work the conversations, contacts and saved replies.</p>
      <ul className="sessions" aria-label="Team">
        {(data?.operators ?? []).map((o, i) => (
          <TeamMember key={o.id} member={o} self={o.id === me} selectId={`${ids}-${i}`} changeRole={changeRole} setDisabled={setDisabled} />
        ))}
      </ul>
      <p className="field-error" role="alert">
        {problem ?? ''}
      </p>
      <p className="visually-hidden" role="status">
        {done}
      </p>
    </>
  );
}

interface MemberProps {
  member: Member;
  self: boolean;
  selectId: string;
  changeRole: (o: Member, role: OperatorRole) => Promise<boolean>;
  setDisabled: (o: Member, disabled: boolean) => Promise<boolean>;
}

/** One colleague: their role, and Disable (asked first: it signs them out everywhere) or Enable. */
function TeamMember({ member: o, self, selectId, changeRole, setDisabled }: MemberProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const disableButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  const name = safeDisplay(o.name);
  // Focus follows the question: to Cancel when asked, back to Disable when withdrawn.
  useEffect(() => {
    if (confirming) cancel.current?.focus();
    else if (asked.current) disableButton.current?.focus();
  }, [confirming]);

  const run = async (disabled: boolean) => {
    setBusy(true);
    if (await setDisabled(o, disabled)) setConfirming(false);
    setBusy(false);
  };

  return (
    <li className={`session team-member${o.disabled ? ' disabled' : ''}`} data-testid="team-member">
      <label className="token-name" htmlFor={selectId} dir="auto">
        {name}
        {self ? ' (you)' : ''}
        {o.disabled ? <span className="token-state token-state-revoked">Disabled</span> : null}
      </label>
      <select id={selectId} value={o.role} disabled={o.disabled} onChange={(e) => void changeRole(o, e.target.value as OperatorRole)}>
        <option value="ADMIN">Admin</option>
        <option value="AGENT">Agent</option>
      </select>
      {!self && !o.disabled && !confirming && (
        <button
          ref={disableButton}
          type="button"
          className="secondary-button danger"
          onClick={() => {
            asked.current = true;
            setConfirming(true);
          }}
        >
          Disable<span className="visually-hidden"> {name}</span>
        </button>
      )}
      {!self && o.disabled && (
        <button type="button" className="secondary-button" disabled={busy} onClick={() => void run(false)}>
          Enable<span className="visually-hidden"> {name}</span>
        </button>
      )}
      {confirming && (
        <div className="confirm" role="group" aria-label={`Disable ${name}?`}>
          <p>
            Disable {name}? They are signed out everywhere at once, the API tokens they made stop working, and their conversations go back to unassigned.
            Their messages keep their name.
          </p>
          <div className="confirm-actions">
            <button type="button" className="danger-button" disabled={busy} onClick={() => void run(true)}>
              Disable {name}
            </button>
            <button ref={cancel} type="button" className="secondary-button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
