import './whatsapp.css';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { SendIcon } from '../../components/icons.tsx';
import { TextField } from '../../components/text-field.tsx';
import { safeDisplay } from '../../lib/bidi.ts';
import type { MessageNode } from '../messages/message-store.ts';
import { useSend, type SendError, type SendTarget } from '../composer/use-send.ts';
import type { FieldError } from '../composer/validation.ts';
import { blankLabel, blanksOf, contentVariables, emptyBlanks, fillTemplate } from './templates.ts';
import { TemplatePreview } from './template-preview.tsx';
import { useTemplates } from './use-templates.ts';

interface Props {
  /** The conversation it goes in, or a new recipient on WhatsApp. */
  where: SendTarget;
  /** "WhatsApp to +1 555-123-4567": the channel, and whom it reaches. */
  channelNote: string | null;
  /** Beside the channel line: the control that takes the reply to the number's other channel. */
  channelAction?: ReactNode;
  /** Why free text is off, said above the templates (and read with the template choice). */
  explanation: string;
  /** The server's refusal that brought the composer here (free text outside the window), if any. */
  refusal?: string | null;
  /** Take the focus on arrival: as the message box would (a wide thread), or because it had it when free text went away. */
  takeFocus?: boolean;
  /** Where the recipient is typed, problems with it are shown there; otherwise here. */
  onRecipientError?: (error: FieldError) => void;
  onSent?: (message: MessageNode) => void;
}

const join = (errors: readonly SendError[]) => errors.map((e) => e.message).join(' ');

/**
 * The composer outside WhatsApp's 24-hour window: an approved template with its blanks filled in,
 * a preview of the text the customer will read, and Send. The server fills the template in and
 * judges it; its refusals are shown here, as the message box shows its own.
 */
export function TemplateComposer({ where, channelNote, channelAction, explanation, refusal = null, takeFocus, onRecipientError, onSent }: Props) {
  const { templates, loading, error: loadError, retry } = useTemplates();
  const { send } = useSend();
  const [sid, setSid] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  // Blanks left empty at the last try to send: marked until they are filled in.
  const [missing, setMissing] = useState<readonly string[]>([]);
  const [error, setError] = useState<string | null>(refusal);
  const [sending, setSending] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  const fields = useRef(new Map<string, HTMLInputElement>());
  const ids = { note: useId(), why: useId(), select: useId(), state: useId(), error: useId() };
  const template = templates?.find((t) => t.sid === sid);
  const blanks = template ? blanksOf(template.body) : [];

  useEffect(() => {
    if (takeFocus) select.current?.focus();
  }, [takeFocus]);

  const choose = (next: string) => {
    // Another template has other blanks: nothing written for the last one carries over.
    setSid(next);
    setValues({});
    setMissing([]);
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending) return;
    if (!template) {
      setError('Choose a template to send.');
      select.current?.focus();
      return;
    }
    const empty = emptyBlanks(template.body, values);
    setMissing(empty);
    if (empty.length) {
      setError(null);
      fields.current.get(empty[0]!)?.focus();
      return;
    }
    setError(null);
    setSending(true);
    const outcome = await send(where, fillTemplate(template.body, values), { sid: template.sid, variables: contentVariables(template.body, values) });
    setSending(false);
    if (outcome.kind === 'rejected') {
      // Each problem goes where it can be fixed: the recipient field, or here.
      const toField = onRecipientError ? outcome.errors.filter((x) => x.field === 'to') : [];
      toField.forEach((x) => onRecipientError?.(x));
      const here = outcome.errors.filter((x) => !toField.includes(x));
      if (here.length) setError(join(here));
      return;
    }
    // Sent, or waiting in the thread for the connection to come back: either way it left the form.
    choose('');
    select.current?.focus();
    if (outcome.kind === 'sent') onSent?.(outcome.message);
  };

  const describedBy = [ids.why, error ? ids.error : null].filter(Boolean).join(' ');
  return (
    <form className="composer template-composer" aria-label="WhatsApp template" noValidate onSubmit={(e) => void submit(e)}>
      <div className="template-inner">
        {channelNote && (
          <div className="composer-channel-row">
            <p id={ids.note} className="composer-channel" data-testid="composer-channel" dir="auto">
              {channelNote} · templates only
            </p>
            {channelAction}
          </div>
        )}
        <p id={ids.why} className="template-why" role="note" dir="auto">
          {explanation}
        </p>
        <div className="field template-choice">
          <label htmlFor={ids.select}>Template</label>
          <select
            id={ids.select}
            ref={select}
            value={sid}
            aria-describedby={[describedBy, loadError ? ids.state : null].filter(Boolean).join(' ')}
            aria-invalid={error && !template ? true : undefined}
            onChange={(e) => choose(e.target.value)}
          >
            <option value="">{loading ? 'Loading templates…' : 'Choose a template'}</option>
            {templates?.map((t) => (
              <option key={t.sid} value={t.sid}>
                {safeDisplay(t.name)} ({safeDisplay(t.language)})
              </option>
            ))}
          </select>
          {loadError && (
            <p id={ids.state} className="field-error" role="alert">
              The templates could not be read: {loadError}{' '}
              <button type="button" className="link-button" onClick={retry}>
                Try again
              </button>
            </p>
          )}
          {templates?.length === 0 && (
            <p className="field-hint">No approved templates: WhatsApp templates are made and approved in Twilio’s Content Template Builder.</p>
          )}
        </div>
        {template && (
          <>
            <div className="template-blanks">
              {blanks.map((name) => {
                const example = template.variables.find((v) => v.name === name)?.example;
                return (
                  <TextField
                    key={`${template.sid}:${name}`}
                    ref={(el) => {
                      if (el) fields.current.set(name, el);
                      else fields.current.delete(name);
                    }}
                    label={blankLabel(name)}
                    hint={example ? `For example: ${safeDisplay(example)}` : undefined}
                    error={missing.includes(name) ? `Fill in ${blankLabel(name).toLowerCase()}.` : null}
                    value={values[name] ?? ''}
                    dir="auto"
                    autoComplete="off"
                    maxLength={1024}
                    onChange={(e) => {
                      const value = e.target.value;
                      setValues((v) => ({ ...v, [name]: value }));
                      if (value.trim() !== '') setMissing((m) => m.filter((x) => x !== name));
                    }}
                  />
                );
              })}
            </div>
            <TemplatePreview body={template.body} values={values} />
          </>
        )}
        {error && (
          <p id={ids.error} className="field-error template-error" aria-live="polite">
            {error}
          </p>
        )}
        <div className="template-actions">
          <button type="submit" className="primary-button" aria-describedby={error ? ids.error : undefined}>
            <SendIcon />
            Send template
          </button>
        </div>
      </div>
    </form>
  );
}
