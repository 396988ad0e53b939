import type { RowNote } from './old-row.ts';

/** What happened to one old row that is worth a line in the report. */
export type RowIssue =
  | { id: string | null; issue: 'invalid'; reason: string }
  | { id: string; issue: 'conflict'; reason: string }
  | ({ id: string; issue: 'note' } & RowNote);

/**
 * The tally of an import. Every row read ends as exactly one of imported, skipped (already in
 * Hatch as it is, or a repeat of a row read before), conflict (its id is taken by a different
 * message; Hatch's is kept) or invalid (it cannot be a message). Notes are about imported rows.
 */
export class ImportSummary {
  read = 0;
  imported = 0;
  skipped = 0;
  conflicts = 0;
  invalid = 0;
  /** Rows whose stored conversation_id is not the one computed from their participants. */
  conversationIdsDiffer = 0;
  /** Rows with text Postgres cannot store, replaced by U+FFFD. */
  repairedText = 0;
  readonly unknownStatuses = new Map<string, number>();
  readonly unknownDirections = new Map<string, number>();
  readonly examples: RowIssue[] = [];
  seconds = 0;

  constructor(private readonly keepExamples = 10) {}

  /** Counts an issue; keeps the first few of each kind to show. */
  record(issue: RowIssue): void {
    if (issue.issue === 'note') {
      if (issue.kind === 'conversation-id') this.conversationIdsDiffer++;
      else if (issue.kind === 'repaired-text') this.repairedText++;
      else {
        const counts = issue.kind === 'unknown-status' ? this.unknownStatuses : this.unknownDirections;
        counts.set(issue.value, (counts.get(issue.value) ?? 0) + 1);
      }
    }
    const key = issue.issue === 'note' ? issue.kind : issue.issue;
    if (this.examples.filter((e) => (e.issue === 'note' ? e.kind : e.issue) === key).length < this.keepExamples) this.examples.push(issue);
  }

  get rowsPerSecond(): number {
    return this.seconds > 0 ? Math.round(this.read / this.seconds) : 0;
  }

  /** For people: the counts, then what needs a look, each with a few examples. */
  format(): string {
    const n = (x: number) => x.toLocaleString('en-US');
    const lines = [
      `Read ${n(this.read)} old messages in ${this.seconds.toFixed(1)} s (${n(this.rowsPerSecond)} rows/s):`,
      `  imported   ${n(this.imported)}`,
      `  skipped    ${n(this.skipped)}  (already in Hatch, or repeated in the old table)`,
      `  conflicts  ${n(this.conflicts)}  (id already used by a different message; not imported)`,
      `  invalid    ${n(this.invalid)}  (no id, participant or time; not imported)`,
    ];
    const notes: string[] = [];
    if (this.conversationIdsDiffer) notes.push(`${n(this.conversationIdsDiffer)} rows stored a conversation_id other than the one their participants give; imported under the computed id`);
    if (this.repairedText) notes.push(`${n(this.repairedText)} rows held text Postgres cannot store (NUL); replaced by U+FFFD`);
    const words = (m: Map<string, number>) => [...m].map(([w, c]) => `"${w}" ×${n(c)}`).join(', ');
    if (this.unknownStatuses.size) notes.push(`unknown statuses ${words(this.unknownStatuses)}: inbound became RECEIVED, outbound SMS SENT, stored-only STORED`);
    if (this.unknownDirections.size) notes.push(`unknown directions ${words(this.unknownDirections)}: taken as inbound when the status says received, else outbound`);
    if (notes.length) lines.push('Notes:', ...notes.map((x) => `  - ${x}`));
    if (this.examples.length) lines.push('Examples:', ...this.examples.map((e) => `  ${describe(e)}`));
    return lines.join('\n');
  }
}

export function describe(e: RowIssue): string {
  const id = e.id ?? '(no id)';
  if (e.issue !== 'note') return `${id}: ${e.issue}: ${e.reason}`;
  switch (e.kind) {
    case 'conversation-id':
      return `${id}: conversation_id ${e.stored ?? '(none)'} → ${e.computed}`;
    case 'repaired-text':
      return `${id}: replaced unstorable characters in ${e.fields.join(', ')}`;
    default:
      return `${id}: ${e.kind} "${e.value}"`;
  }
}
