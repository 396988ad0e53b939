// Contacts as CSV, for a spreadsheet or another system: `number,name,notes`, a header first.
// Parsing and writing CSV are the libraries' (quotes, commas and line breaks inside fields, a
// byte-order mark); this file says which columns mean what and what a row must hold.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describeAddress, type CountryCode } from '../../lib/phone.ts';
import { isStorable } from '../../lib/text.ts';
import type { ContactState } from './contacts.service.ts';
import { MAX_CONTACT_NAME_CHARS } from './contact-name.ts';
import { MAX_CONTACT_NOTES_CHARS } from './update-contact.ts';

export const CSV_COLUMNS = ['number', 'name', 'notes'] as const;
/** Other names a column may have in a spreadsheet's header. */
const ALIASES: Record<string, (typeof CSV_COLUMNS)[number]> = {
  number: 'number',
  phone: 'number',
  'phone number': 'number',
  mobile: 'number',
  address: 'number',
  name: 'name',
  'full name': 'name',
  notes: 'notes',
  note: 'notes',
};

export interface ImportRow {
  line: number;
  address: string;
  name: string | null;
  notes: string | null;
}

export interface ImportProblem {
  /** The row, as a spreadsheet numbers it: the header is row 1. */
  line: number;
  message: string;
}

const chars = (s: string) => [...s].length;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Every contact as CSV: the number as people write it would be read back the same, so E.164. */
export function contactsToCsv(contacts: readonly ContactState[]): string {
  return stringify(
    contacts.map((c) => [c.address, c.name ?? '', c.notes ?? '']),
    { header: true, columns: [...CSV_COLUMNS] },
  );
}

/**
 * Reads an import: each row's number in SMS_DEFAULT_COUNTRY as a recipient is read, with its name
 * and notes. What cannot be used is reported by line, never guessed: no number, a number that is
 * not one, a name or notes too long, a number twice (the later row is used).
 */
export function parseContactsCsv(text: string, defaultCountry: CountryCode | undefined): { rows: ImportRow[]; problems: ImportProblem[] } | { error: string } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    return { error: `The file is not CSV that can be read: ${(err as Error).message}` };
  }
  if (records.length === 0) return { error: 'The file is empty: it needs a header (number,name,notes) and a row per contact.' };
  const header = records[0]!.map((h) => ALIASES[h.toLowerCase()]);
  const at = (column: (typeof CSV_COLUMNS)[number]) => header.indexOf(column);
  if (at('number') < 0) return { error: 'The first line must name the columns, with a number column: number,name,notes.' };

  const problems: ImportProblem[] = [];
  const byAddress = new Map<string, ImportRow>();
  for (const [index, record] of records.entries()) {
    if (index === 0) continue;
    // As a spreadsheet numbers its rows: the header is 1 (a note over two lines is still one row).
    const line = index + 1;
    const cell = (column: (typeof CSV_COLUMNS)[number]) => (at(column) >= 0 ? (record[at(column)] ?? '').trim() : '');
    const typed = cell('number');
    const name = cell('name') || null;
    const notes = cell('notes') || null;
    if (!typed) {
      problems.push({ line, message: 'No number.' });
      continue;
    }
    if (![typed, name ?? '', notes ?? ''].every(isStorable) || CONTROL.test(name ?? '')) {
      problems.push({ line, message: 'Holds characters that cannot be stored.' });
      continue;
    }
    const read = describeAddress(typed, defaultCountry);
    if (read.kind !== 'SMS') {
      problems.push({ line, message: `“${typed.slice(0, 60)}” is not a phone number.` });
      continue;
    }
    if (name && chars(name) > MAX_CONTACT_NAME_CHARS) {
      problems.push({ line, message: `The name is longer than ${MAX_CONTACT_NAME_CHARS} characters.` });
      continue;
    }
    if (notes && chars(notes) > MAX_CONTACT_NOTES_CHARS) {
      problems.push({ line, message: `The notes are longer than ${MAX_CONTACT_NOTES_CHARS} characters.` });
      continue;
    }
    const earlier = byAddress.get(read.address!);
    if (earlier) problems.push({ line: earlier.line, message: `The same number as line ${line}, which is used instead.` });
    byAddress.set(read.address!, { line, address: read.address!, name, notes });
  }
  return { rows: [...byAddress.values()], problems: problems.sort((a, b) => a.line - b.line) };
}
