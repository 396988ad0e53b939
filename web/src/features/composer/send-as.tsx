import { useId, type Ref } from 'react';
import { safeDisplay } from '../../lib/bidi.ts';

interface Props {
  participants: readonly string[];
  value: string | null;
  onChange: (from: string) => void;
  error: string | null;
  firstRef?: Ref<HTMLInputElement>;
}

/**
 * Which participant a reply is from, for a conversation where the server does not know which
 * side is this inbox's: it refuses to guess, and so does the page.
 */
export function SendAs({ participants, value, onChange, error, firstRef }: Props) {
  const ids = { name: useId(), error: useId() };
  return (
    <fieldset className="send-as" aria-describedby={error ? ids.error : undefined}>
      <legend>Send as</legend>
      {participants.map((p, i) => (
        <label key={p} className="send-as-option">
          <input
            ref={i === 0 ? firstRef : undefined}
            type="radio"
            name={ids.name}
            value={p}
            checked={value === p}
            aria-invalid={error ? true : undefined}
            onChange={() => onChange(p)}
          />
          {safeDisplay(p)}
        </label>
      ))}
      {error && (
        <p id={ids.error} className="field-error" aria-live="polite">
          {error}
        </p>
      )}
    </fieldset>
  );
}
