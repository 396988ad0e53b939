import './conversations.css';
import { useEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import { SearchIcon } from '../../components/icons.tsx';
import type { ConversationFilter } from '../../gql/graphql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import { useDebounced } from '../../lib/use-debounced.ts';
import { useNow } from '../../lib/use-now.ts';
import { ConversationRow } from './conversation-item.tsx';
import { useMe, type Whose } from './assignee.ts';
import { AssigneeTabs, FilterTabs } from './filter-tabs.tsx';
import { useConversationList } from './use-conversation-list.ts';
import { useMatchesElsewhere } from './use-matches-elsewhere.ts';
import { useRovingFocus } from './use-roving-focus.ts';

// Start loading the next page this far before the end, so scrolling rarely waits.
const PREFETCH_PX = 300;
const FILTER_WORD: Record<ConversationFilter, string> = { OPEN: 'open', SNOOZED: 'snoozed', DONE: 'done', ALL: '' };
const FILTER_LABEL: Record<ConversationFilter, string> = { OPEN: 'Open', SNOOZED: 'Snoozed', DONE: 'Done', ALL: 'All' };
const EMPTY: Record<ConversationFilter, string> = { OPEN: 'No open conversations.', SNOOZED: 'Nothing is snoozed.', DONE: 'Nothing is marked done.', ALL: 'No conversations yet.' };

export function ConversationList({ activeId }: { activeId: string | undefined }) {
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<ConversationFilter>('OPEN');
  const [whose, setWhose] = useState<Whose>('ANYONE');
  // With sign-in off there is no team: nothing to assign, no Mine.
  const me = useMe();
  const search = useDebounced(query.trim(), 250);
  const { conversations, loading, error, hasMore, loadMore, retry } = useConversationList(search, filter, me ? whose : 'ANYONE', me);
  const now = useNow();
  const scroller = useRef<HTMLDivElement>(null);
  const ids = useMemo(() => conversations.map((c) => c.id), [conversations]);
  const roving = useRovingFocus(ids, activeId);

  const nearEnd = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight < PREFETCH_PX;
  const onScroll = (e: UIEvent<HTMLElement>) => {
    if (nearEnd(e.currentTarget)) loadMore();
  };
  // A tall window may show every loaded row without a scrollbar: keep loading until it scrolls.
  useEffect(() => {
    if (scroller.current && hasMore && nearEnd(scroller.current)) loadMore();
  }, [conversations.length, hasMore, loadMore]);

  const empty = hasMore === false && conversations.length === 0;
  const elsewhere = useMatchesElsewhere(search, filter, empty && !error);
  return (
    <nav className="list-pane" aria-label="Conversations">
      <div className="search">
        <SearchIcon />
        <input
          type="search"
          dir="auto"
          aria-label="Search conversations"
          placeholder="Search names, numbers, messages"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <FilterTabs value={filter} onChange={setFilter} />
      {me && <AssigneeTabs value={whose} onChange={setWhose} />}
      <div className="list-scroll" ref={scroller} onScroll={onScroll}>
        <ul className="conversations" aria-busy={loading} onKeyDown={roving.onKeyDown}>
          {conversations.map((c) => (
            <ConversationRow
              key={c.id}
              conversation={c}
              active={c.id === activeId}
              now={now}
              tabbable={c.id === roving.stop}
              onFocus={() => roving.setFocused(c.id)}
            />
          ))}
        </ul>
        {loading && <p className="list-note">Loading…</p>}
        {error && (
          <p className="list-note error">
            {error}{' '}
            <button type="button" className="link-button" onClick={retry}>
              Try again
            </button>
          </p>
        )}
        {empty && !error && (
          <p className="list-note" role="status">
            {search ? `No ${filter === 'ALL' ? '' : `${FILTER_WORD[filter]} `}conversations match “${safeDisplay(search)}”.` : EMPTY[filter]}
            {elsewhere && (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => setFilter(elsewhere.filter)}>
                  {elsewhere.count > 20 ? '20+ matches' : `${elsewhere.count} ${elsewhere.count === 1 ? 'match' : 'matches'}`} in {FILTER_LABEL[elsewhere.filter]}
                </button>
              </>
            )}
          </p>
        )}
      </div>
    </nav>
  );
}
