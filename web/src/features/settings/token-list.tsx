import { useNow } from '../../lib/use-now.ts';
import type { ApiTokenItem } from './token-order.ts';
import { TokenRow } from './token-row.tsx';

interface Props {
  tokens: readonly ApiTokenItem[] | null;
  error: string | null;
  reload: () => void;
  revoke: (id: string) => Promise<string | null>;
}

export function TokenList({ tokens, error, reload, revoke }: Props) {
  const now = useNow();
  if (error) {
    return (
      <p className="list-note error">
        {error}{' '}
        <button type="button" className="link-button" onClick={reload}>
          Try again
        </button>
      </p>
    );
  }
  if (!tokens) return <p className="list-note">Loading…</p>;
  if (tokens.length === 0) return <p className="list-note">No API tokens yet.</p>;
  return (
    <ul className="tokens" aria-label="API tokens">
      {tokens.map((t) => (
        <TokenRow key={t.id} token={t} now={now} revoke={revoke} />
      ))}
    </ul>
  );
}
