import type { ConversationAssignee, ConversationFilter } from '../../gql/graphql.ts';

const FILTERS: [ConversationFilter, string][] = [
  ['OPEN', 'Open'],
  ['SNOOZED', 'Snoozed'],
  ['DONE', 'Done'],
  ['ALL', 'All'],
];

/** Open, snoozed, done or all: which conversations the list shows. */
export function FilterTabs({ value, onChange }: { value: ConversationFilter; onChange: (f: ConversationFilter) => void }) {
  return (
    <div className="filter-tabs" role="group" aria-label="Show conversations">
      {FILTERS.map(([filter, label]) => (
        <button key={filter} type="button" className="filter-tab" aria-pressed={value === filter} onClick={() => onChange(filter)}>
          {label}
        </button>
      ))}
    </div>
  );
}

const WHOSE: [ConversationAssignee, string][] = [
  ['ANYONE', 'Everyone'],
  ['ME', 'Mine'],
  ['UNASSIGNED', 'Unassigned'],
];

/** Whose conversations the list shows: everyone's, mine, or nobody's yet. */
export function AssigneeTabs({ value, onChange }: { value: ConversationAssignee; onChange: (w: ConversationAssignee) => void }) {
  return (
    <div className="filter-tabs" role="group" aria-label="Whose conversations">
      {WHOSE.map(([whose, label]) => (
        <button key={whose} type="button" className="filter-tab" aria-pressed={value === whose} onClick={() => onChange(whose)}>
          {label}
        </button>
      ))}
    </div>
  );
}
