import { useId, type InputHTMLAttributes, type Ref } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  hint?: string;
  /** Shown under the field and read with it; marks the field invalid. */
  error?: string | null;
  /** More descriptions read with the field, e.g. a form-level problem that concerns it. */
  describedBy?: string;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input whose hint and error are tied to it, so a screen reader reads them together. */
export function TextField({ label, hint, error, describedBy, ref, 'aria-invalid': invalid, ...input }: Props) {
  const ids = { input: useId(), hint: useId(), error: useId() };
  const described = [error ? ids.error : null, hint ? ids.hint : null, describedBy ?? null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={ids.input}>{label}</label>
      <input
        {...input}
        ref={ref}
        id={ids.input}
        aria-invalid={error ? true : invalid}
        aria-describedby={described || undefined}
      />
      {error && (
        <p id={ids.error} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={ids.hint} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
