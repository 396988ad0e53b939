import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { CopyIcon } from '../../components/icons.tsx';
import { safeDisplay } from '../../lib/bidi.ts';

interface Props {
  name: string;
  secret: string;
  onDone: () => void;
  /** What is shown (an API token unless said): its heading, the note under it and the field's name. */
  heading?: string;
  note?: ReactNode;
  label?: string;
}

/** Puts text on the clipboard; without the Clipboard API (plain HTTP on a LAN address), the old way. */
async function copy(text: string, fallback: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    fallback?.select();
    return document.execCommand?.('copy') ?? false;
  }
}

/** A new secret (an API token, an invitation link), shown this once: the server keeps only a hash of it. */
export function NewToken({ name, secret, onDone, heading: title, note, label }: Props) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const ids = { heading: useId(), note: useId() };
  // Arriving here from the form, the reader lands on the news rather than back at the top.
  useEffect(() => heading.current?.focus(), []);

  return (
    <section className="new-token" aria-labelledby={ids.heading} data-testid="new-token">
      <h4 id={ids.heading} ref={heading} tabIndex={-1}>
        {title ?? `Token “${safeDisplay(name)}” created`}
      </h4>
      <p id={ids.note} className="new-token-note">
        <strong>Copy it now: you will not see it again.</strong> Hatch keeps only a fingerprint of it.{' '}
        {note ?? (
          <>
            Programs send it as <code>Authorization: Bearer …</code>
          </>
        )}
      </p>
      <div className="secret-row">
        <input
          ref={field}
          className="secret"
          readOnly
          value={secret}
          aria-label={label ?? `API token ${safeDisplay(name)}`}
          aria-describedby={ids.note}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="secondary-button" onClick={async () => setCopied(await copy(secret, field.current))}>
          <CopyIcon />
          Copy
        </button>
      </div>
      <p className="copy-status" role="status">
        {copied === true ? 'Copied to the clipboard.' : copied === false ? 'Could not copy: select it and copy it by hand.' : ''}
      </p>
      <button type="button" className="link-button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
