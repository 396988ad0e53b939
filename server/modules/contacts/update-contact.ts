import type { Database } from '../../db/database.ts';
import { saveContact } from '../../db/tables/contacts.ts';
import { touchConversationsOfEach } from '../../db/tables/conversations.ts';
import { describeAddress, type CountryCode } from '../../lib/phone.ts';
import { isStorable } from '../../lib/text.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { contactStates, type ContactState } from './contacts.service.ts';
import { isContactName, MAX_CONTACT_NAME_CHARS } from './contact-name.ts';

export const MAX_CONTACT_NOTES_CHARS = 2000;

export interface UpdateContactInput {
  /** A number as people type it, or a name: read the way a recipient is. */
  address: string;
  /** Undefined keeps it; null or blank clears it. */
  name?: string | null;
  notes?: string | null;
}

export type UpdateContactResult = { contact: ContactState; errors: [] } | { contact: null; errors: UserErrorShape[] };

const chars = (s: string) => [...s].length;

function check(input: UpdateContactInput, defaultCountry: CountryCode | undefined): { address: string; name?: string | null; notes?: string | null } | UserErrorShape[] {
  const errors: UserErrorShape[] = [];
  for (const field of ['address', 'name', 'notes'] as const) {
    const value = input[field];
    if (typeof value === 'string' && !isStorable(value)) errors.push(userError(field, 'INVALID_CHARACTERS', `The ${field} contains characters that cannot be stored (such as NUL).`));
  }
  if (errors.length) return errors;
  const read = describeAddress(input.address, defaultCountry);
  if (read.kind === 'INVALID') errors.push(userError('address', 'INVALID_PHONE_NUMBER', `"${input.address.trim()}" is not a phone number: write it with + and the country code, e.g. +15551234567.`));
  else if (!read.address || !isContactName(read.address)) {
    errors.push(userError('address', 'INVALID_ADDRESS', `Give the contact's phone number or the name a conversation has (1 to ${MAX_CONTACT_NAME_CHARS} characters).`));
  }
  const name = input.name === undefined ? undefined : input.name?.trim() || null;
  if (name && !isContactName(name)) {
    errors.push(userError('name', 'INVALID_NAME', `A name is at most ${MAX_CONTACT_NAME_CHARS} characters, without control characters.`));
  }
  const notes = input.notes === undefined ? undefined : input.notes?.trim() ? input.notes : null;
  if (notes && chars(notes) > MAX_CONTACT_NOTES_CHARS) errors.push(userError('notes', 'NOTES_TOO_LONG', `Notes are at most ${MAX_CONTACT_NOTES_CHARS} characters.`));
  return errors.length ? errors : { address: read.address!, name, notes };
}

/**
 * Names a contact (and keeps notes on them). Their conversations are touched in the same
 * transaction, so the change feed tells every open window, which reads the new name.
 */
export async function updateContact(db: Database, input: UpdateContactInput, defaultCountry: CountryCode | undefined): Promise<UpdateContactResult> {
  const checked = check(input, defaultCountry);
  if (Array.isArray(checked)) return { contact: null, errors: checked };
  const { address, name, notes } = checked;
  await db.transaction(async (tx) => {
    // The person's other addresses take the name too, and their conversations are touched as well.
    await touchConversationsOfEach(tx, await saveContact(tx, { address, name, notes }));
  });
  const [contact] = await contactStates(db, [address]);
  return { contact: contact!, errors: [] };
}
