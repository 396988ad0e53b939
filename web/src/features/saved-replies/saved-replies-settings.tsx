import { useRef, useState } from 'react';
import { safeDisplay } from '../../lib/bidi.ts';
import { SavedReplyForm } from './saved-reply-form.tsx';
import { useSavedReplies } from './use-saved-replies.ts';
import './saved-replies.css';

/** Settings' "Saved replies": the team's, shared by everyone; made, changed and deleted here. */
export function SavedRepliesSettings() {
  const { replies, variables, error, reload, save, remove } = useSavedReplies();
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);

  const focusRow = (id: string, button: 'edit' | 'delete') =>
    requestAnimationFrame(() => list.current?.querySelector<HTMLButtonElement>(`[data-reply-id="${id}"] .reply-${button}`)?.focus());

  return (
    <>
      <p className="settings-text">Answers the team sends again and again, shared by everyone. In a message, type / and a reply's name to put it in.</p>
      <SavedReplyForm variables={variables} save={save} />
      {error ? (
        <p className="list-note error">
          The saved replies could not be loaded.{' '}
          <button type="button" className="link-button" onClick={reload}>
            Try again
          </button>
        </p>
      ) : !replies ? (
        <p className="list-note">Loading…</p>
      ) : replies.length === 0 ? (
        <p className="list-note">No saved replies yet.</p>
      ) : (
        <ul className="replies" aria-label="Saved replies" ref={list}>
          {replies.map((r) => (
            <li key={r.id} className="reply" data-reply-id={r.id}>
              {editing === r.id ? (
                <SavedReplyForm
                  editing={r}
                  variables={variables}
                  save={save}
                  onDone={() => {
                    setEditing(null);
                    focusRow(r.id, 'edit');
                  }}
                />
              ) : (
                <>
                  <div className="reply-top">
                    <h4 className="reply-name">/{safeDisplay(r.name)}</h4>
                    <div className="reply-actions">
                      {confirming === r.id ? (
                        <>
                          <span className="reply-question">Delete it for the whole team?</span>
                          <button
                            type="button"
                            className="danger-button reply-confirm"
                            onClick={async () => {
                              const outcome = await remove(r.id);
                              setProblem(outcome.ok ? null : outcome.errors.map((e) => e.message).join(' '));
                              setConfirming(null);
                            }}
                          >
                            Delete
                          </button>
                          <button
                            type="button"
                            className="secondary-button"
                            autoFocus
                            onClick={() => {
                              setConfirming(null);
                              focusRow(r.id, 'delete');
                            }}
                          >
                            Cancel
                          </button>
                        </>
                      ) : (
                        <>
                          <button type="button" className="secondary-button reply-edit" aria-label={`Edit ${r.name}`} onClick={() => setEditing(r.id)}>
                            Edit
                          </button>
                          <button type="button" className="secondary-button danger reply-delete" aria-label={`Delete ${r.name}`} onClick={() => setConfirming(r.id)}>
                            Delete
                          </button>
                        </>
                      )}
                    </div>
                  </div>
                  <p className="reply-body" dir="auto">
                    {safeDisplay(r.body)}
                  </p>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
