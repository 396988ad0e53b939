import type { ConversationFilter } from '../../gql/graphql.ts';

const FILTERS: [ConversationFilter, string][] = [
  ['OPEN', 'Open'],
  ['DONE', 'Done'],
  ['ALL', 'All'],
];

/** Open, done or all: which conversations the list shows. */
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
