import { useId, useState } from 'react';
import type { ConversationNode } from './conversation-store.ts';
import { useAssign, useMe, useTeam } from './assignee.ts';
import { safeDisplay } from '../../lib/bidi.ts';

/** Who has this conversation, and the way to give it to oneself, a colleague or nobody. */
export function AssigneeSelect({ conversation: c }: { conversation: ConversationNode }) {
  const me = useMe();
  const team = useTeam();
  const assign = useAssign(c.id);
  const id = useId();
  const [failed, setFailed] = useState(false);
  // With sign-in off there is no team to share the work with.
  if (!me) return null;
  const current = c.assignee?.id ?? '';
  // The assignee stays listed while the team loads (or if they have left it since).
  const people = c.assignee && !team.some((o) => o.id === c.assignee!.id) ? [...team, c.assignee] : team;
  return (
    <p className="assignee-field">
      <label htmlFor={id}>Assigned to</label>
      <select
        id={id}
        value={current}
        aria-invalid={failed || undefined}
        onChange={async (e) => {
          setFailed(!(await assign(e.target.value || null)));
        }}
      >
        <option value="">Nobody</option>
        {people.map((o) => (
          <option key={o.id} value={o.id}>
            {o.id === me ? `${safeDisplay(o.name)} (me)` : safeDisplay(o.name)}
          </option>
        ))}
      </select>
      {failed && <span role="alert">Could not assign; try again.</span>}
    </p>
  );
}
