import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { OperatorRole } from '../../gql/graphql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { useMe } from '../conversations/assignee.ts';

const TeamRolesQuery = graphql(/* GraphQL */ `
  query TeamRoles {
    operators {
      id
      name
      role
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
      }
      errors {
        message
      }
    }
  }
`);

/** The team and each one's role, for an admin to change: admins manage the team and API tokens, agents work the conversations. */
export function Team() {
  const me = useMe();
  const [{ data, error }, reload] = useQuery({ query: TeamRolesQuery, requestPolicy: 'cache-and-network' });
  const [, setRole] = useMutation(SetRoleMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const ids = useId();
  const change = async (id: string, name: string, role: OperatorRole) => {
    const result = await setRole({ id, role });
    const payload = result.data?.setOperatorRole;
    if (!payload || payload.errors.length) {
      setProblem(payload?.errors[0]?.message ?? 'Hatch could not be reached. Try again.');
      reload({ requestPolicy: 'network-only' });
      return;
    }
    setProblem(null);
    setDone(`${name} is now ${role === 'ADMIN' ? 'an admin' : 'an agent'}.`);
  };
  if (error && !data) return <p className="list-note error">The team could not be loaded.</p>;
  return (
    <>
      <p className="settings-text">Admins also manage the team, API tokens and settings; agents work the conversations, contacts and saved replies.</p>
      <ul className="sessions" aria-label="Team">
        {(data?.operators ?? []).map((o, i) => (
          <li key={o.id} className="session team-member">
            <label className="token-name" htmlFor={`${ids}-${i}`} dir="auto">
              {safeDisplay(o.name)}
              {o.id === me ? ' (you)' : ''}
            </label>
            <select id={`${ids}-${i}`} value={o.role} onChange={(e) => void change(o.id, o.name, e.target.value as OperatorRole)}>
              <option value="ADMIN">Admin</option>
              <option value="AGENT">Agent</option>
            </select>
          </li>
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
