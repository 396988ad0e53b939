import type { Database } from '../../db/database.ts';
import { everyContact, saveContacts } from '../../db/tables/contacts.ts';
import { touchConversationsOfEach } from '../../db/tables/conversations.ts';
import type { CountryCode } from '../../lib/phone.ts';
import type { Principal } from '../access/principal.ts';
import { actorOf, recordAudit } from '../audit/audit.service.ts';
import { contactsToCsv, parseContactsCsv, type ImportProblem } from './contacts-csv.ts';

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  problems: ImportProblem[];
}

/** Every contact as CSV; the audit log records who took the list, and how long it was. */
export async function exportContacts(db: Database, by: Principal): Promise<{ csv: string; count: number }> {
  const contacts = await everyContact(db);
  await recordAudit(db, 'CONTACTS_EXPORTED', { actor: actorOf(by), target: { kind: 'contacts', name: `${contacts.length} contact(s)` } });
  return { csv: contactsToCsv(contacts), count: contacts.length };
}

/**
 * Imports contacts from CSV: new numbers are added, known ones take the file's name and notes, and
 * a row that says what is already there changes nothing, so importing the same file twice is the
 * same as once. Rows that cannot be read are reported and skipped; the rest are written together,
 * and every window shows the new names. A string when the file as a whole cannot be read.
 */
export async function importContacts(db: Database, by: Principal, csv: string, defaultCountry: CountryCode | undefined): Promise<ImportReport | string> {
  const parsed = parseContactsCsv(csv, defaultCountry);
  if ('error' in parsed) return parsed.error;
  return db.transaction(async (tx) => {
    const written = await saveContacts(tx, parsed.rows);
    await touchConversationsOfEach(tx, written.changed);
    const report = { created: written.created, updated: written.updated, unchanged: parsed.rows.length - written.created - written.updated, problems: parsed.problems };
    const what = `${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged, ${report.problems.length} not understood`;
    await recordAudit(tx, 'CONTACTS_IMPORTED', { actor: actorOf(by), target: { kind: 'contacts', name: what } });
    return report;
  });
}
