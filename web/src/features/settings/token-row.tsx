import { useEffect, useRef, useState } from 'react';
import { safeDisplay } from '../../lib/bidi.ts';
import { fullTime, relativeTime } from '../../lib/relative-time.ts';
import type { ApiTokenItem } from './token-order.ts';

interface Props {
  token: ApiTokenItem;
  now: Date;
  revoke: (id: string) => Promise<string | null>;
}

const SCOPE = { READ: 'Read', SEND: 'Read and send' } as const;

/** One token, with a Revoke that asks first: a program that relies on it stops working at once. */
export function TokenRow({ token: t, now, revoke }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const name = useRef<HTMLHeadingElement>(null);
  const asked = useRef(false);

  // Focus follows the question: to Cancel when it is asked, back to Revoke when it is withdrawn.
  useEffect(() => {
    if (confirming) cancelButton.current?.focus();
    else if (asked.current) (revokeButton.current ?? name.current)?.focus();
  }, [confirming]);

  const confirm = async () => {
    setBusy(true);
    const problem = await revoke(t.id);
    setBusy(false);
    setError(problem);
    if (!problem) setConfirming(false);
  };

  const revoked = t.revokedAt !== null;
  const tokenName = safeDisplay(t.name);
  return (
    <li className={`token${revoked ? ' revoked' : ''}`} data-token-id={t.id}>
      <div className="token-top">
        <h4 className="token-name" ref={name} tabIndex={-1}>
          {tokenName}
        </h4>
        <span className="token-scope">{SCOPE[t.scope]}</span>
        <span className={`token-state ${revoked ? 'token-state-revoked' : 'token-state-working'}`} data-testid="token-state">
          {revoked ? 'Revoked' : 'Working'}
        </span>
      </div>
      <p className="token-meta">
        Created <time dateTime={t.createdAt}>{fullTime(t.createdAt)}</time> by {t.createdBy !== null ? safeDisplay(t.createdBy) : 'a command on the server'}
        {' · '}
        {t.lastUsedAt ? (
          <>
            Last used{' '}
            <time dateTime={t.lastUsedAt} title={fullTime(t.lastUsedAt)}>
              {relativeTime(t.lastUsedAt, now)}
            </time>
          </>
        ) : (
          'Never used'
        )}
        {t.revokedAt && (
          <>
            {' · '}Revoked <time dateTime={t.revokedAt}>{fullTime(t.revokedAt)}</time>
          </>
        )}
      </p>
      {!revoked && !confirming && (
        <button
          ref={revokeButton}
          type="button"
          className="secondary-button danger"
          onClick={() => {
            asked.current = true;
            setConfirming(true);
          }}
        >
          Revoke<span className="visually-hidden"> {tokenName}</span>
        </button>
      )}
      {confirming && (
        <div className="confirm" role="group" aria-label={`Revoke ${tokenName}?`}>
          <p>Revoke “{tokenName}”? Programs using it stop working at once, and this cannot be undone.</p>
          <div className="confirm-actions">
            <button type="button" className="danger-button" disabled={busy} onClick={() => void confirm()}>
              Revoke token
            </button>
            <button ref={cancelButton} type="button" className="secondary-button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <p className="field-error" role="status">
        {error}
      </p>
    </li>
  );
}
