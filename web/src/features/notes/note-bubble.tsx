import { Fragment } from 'react';
import { safeDisplay } from '../../lib/bidi.ts';
import { clockTime } from '../../lib/relative-time.ts';
import type { NoteNode } from './with-notes.ts';

/** The body with each `@Name` of a teammate marked, so a mention stands out. */
export function withMentions(body: string, names: readonly string[]) {
  const sorted = [...names].filter(Boolean).sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return [body];
  const escaped = sorted.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])@(?:${escaped.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  const parts: (string | { mention: string })[] = [];
  let last = 0;
  for (const m of body.matchAll(pattern)) {
    if (m.index > last) parts.push(body.slice(last, m.index));
    parts.push({ mention: m[0] });
    last = m.index + m[0].length;
  }
  if (last < body.length) parts.push(body.slice(last));
  return parts;
}

/** An internal note in the thread: unmistakably not a message (a note, never sent), with its author. */
export function NoteBubble({ note, team }: { note: NoteNode; team: readonly string[] }) {
  const body = safeDisplay(note.body);
  return (
    <li className="note" data-testid="note" data-mentions-me={note.mentionsViewer || undefined}>
      <p className="note-meta">
        <span className="note-label">Internal note</span> · <span dir="auto">{safeDisplay(note.authorName)}</span> · <time dateTime={note.createdAt}>{clockTime(note.createdAt)}</time>
      </p>
      <p className="note-body" dir="auto">
        {withMentions(body, team).map((part, i) =>
          typeof part === 'string' ? <Fragment key={i}>{part}</Fragment> : <strong key={i} className="mention">{part.mention}</strong>,
        )}
      </p>
      <p className="visually-hidden">Only the team sees this; it is not sent.</p>
    </li>
  );
}
