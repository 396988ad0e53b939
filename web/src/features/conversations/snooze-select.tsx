import { useId, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { useInbox } from '../../inbox-context.ts';
import type { ConversationNode } from './conversation-store.ts';
import { isSnoozed, snoozeChoices, snoozeTime } from './snooze.ts';

const Snooze = graphql(/* GraphQL */ `
  mutation SnoozeConversation($id: ID!, $until: DateTime) {
    snoozeConversation(id: $id, until: $until) {
      conversation {
        ...ConversationItem
      }
      errors {
        code
        message
      }
    }
  }
`);

/** Snoozing a conversation out of Open until a time, or waking it by hand; live in every window. */
export function SnoozeSelect({ conversation: c }: { conversation: ConversationNode }) {
  const client = useClient();
  const { conversations } = useInbox();
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const snoozed = isSnoozed(c);
  const choices = snoozeChoices();

  const apply = async (until: string | null) => {
    const result = (await client.mutation(Snooze, { id: c.id, until }).toPromise()).data?.snoozeConversation;
    if (result?.conversation) conversations.upsert([result.conversation]);
    setProblem(result ? (result.errors[0]?.message ?? null) : 'Could not snooze; try again.');
  };

  return (
    <p className="assignee-field snooze-field">
      <label htmlFor={id}>Snooze</label>
      <select
        id={id}
        value={snoozed ? 'current' : ''}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'wake') void apply(null);
          else if (v !== '' && v !== 'current') void apply(v);
        }}
      >
        {snoozed ? <option value="current">Until {snoozeTime(c.snoozedUntil!)}</option> : <option value="">Not snoozed</option>}
        {choices.map((s) => (
          <option key={s.label} value={s.until.toISOString()}>
            {s.label}
          </option>
        ))}
        {snoozed && <option value="wake">Wake it now</option>}
      </select>
      {problem && <span role="alert">{problem}</span>}
    </p>
  );
}
