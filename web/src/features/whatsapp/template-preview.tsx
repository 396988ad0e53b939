import { Fragment, useId } from 'react';
import { safeDisplay } from '../../lib/bidi.ts';
import { blankLabel, previewParts } from './templates.ts';

/**
 * The template's text as the customer will read it, filled in as the blanks are typed; a blank
 * still empty is marked with its name.
 */
export function TemplatePreview({ body, values }: { body: string; values: Readonly<Record<string, string>> }) {
  const label = useId();
  return (
    <div className="template-preview" role="group" aria-labelledby={label}>
      <p id={label} className="template-preview-label">
        Preview
      </p>
      <p className="template-preview-text" data-testid="template-preview" dir="auto">
        {previewParts(body, values).map((part, i) =>
          part.kind === 'text' ? (
            <Fragment key={i}>{safeDisplay(part.text)}</Fragment>
          ) : part.value ? (
            <span key={i} className="template-blank filled">
              {safeDisplay(part.value)}
            </span>
          ) : (
            <span key={i} className="template-blank empty">
              {blankLabel(part.name)}
            </span>
          ),
        )}
      </p>
    </div>
  );
}
