import { useEffect, useState, type KeyboardEvent } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { useDebounced } from '../../lib/use-debounced.ts';

const ContactSuggestions = graphql(/* GraphQL */ `
  query ContactSuggestions($search: String!) {
    contactSuggestions(search: $search, first: 6) {
      address
      name
      display
    }
  }
`);

export interface Suggestion {
  address: string;
  name?: string | null;
  display: string;
}

/**
 * The To field's suggestions: contacts whose name or number holds what is typed, as a listbox the
 * field controls (the ARIA combobox pattern). Arrow keys move through them, Enter takes one (its
 * number, so two contacts of one name stay apart), Escape closes the list; typing opens it again.
 */
export function useRecipientSuggestions(typed: string, listId: string, choose: (s: Suggestion) => void) {
  const search = useDebounced(typed.trim(), 150);
  const [closed, setClosed] = useState(false);
  const [active, setActive] = useState(-1);
  const [{ data }] = useQuery({ query: ContactSuggestions, variables: { search }, pause: search === '', requestPolicy: 'cache-and-network' });
  const found = search === '' ? [] : (data?.contactSuggestions ?? []);
  // Nothing to suggest for what is already exactly one of them.
  const options = found.filter((s) => s.display !== typed.trim() && s.address !== typed.trim());
  const open = !closed && options.length > 0 && typed.trim() !== '';
  useEffect(() => {
    setClosed(false);
    setActive(-1);
  }, [typed]);

  const take = (s: Suggestion) => {
    choose(s);
    setClosed(true);
  };
  const optionId = (i: number) => `${listId}-${i}`;

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      // From the field (-1) through each option and back to the field.
      setActive((i) => ((i + 1 + step + options.length + 1) % (options.length + 1)) - 1);
    } else if (e.key === 'Enter' && active >= 0 && active < options.length) {
      e.preventDefault();
      take(options[active]!);
    } else if (e.key === 'Escape') {
      // Closes the list only: the page's own Escape (back) waits for the next one.
      e.preventDefault();
      e.stopPropagation();
      setClosed(true);
    }
  };

  const inputProps = {
    role: 'combobox' as const,
    'aria-autocomplete': 'list' as const,
    'aria-expanded': open,
    'aria-controls': listId,
    'aria-activedescendant': open && active >= 0 && active < options.length ? optionId(active) : undefined,
    onKeyDown,
  };

  const list = (
    <ul id={listId} role="listbox" aria-label="Contacts" className="recipient-suggestions" hidden={!open}>
      {open &&
        options.map((s, i) => (
          <li
            key={s.address}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            // Chosen on mousedown, before the field loses its focus.
            onMouseDown={(e) => {
              e.preventDefault();
              take(s);
            }}
          >
            <span className="suggestion-name" dir="auto">
              {safeDisplay(s.name ?? s.display)}
            </span>
            {s.name && <span className="suggestion-address">{s.display}</span>}
          </li>
        ))}
    </ul>
  );
  return { inputProps, list };
}
