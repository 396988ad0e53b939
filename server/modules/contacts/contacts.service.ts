import type { Sql } from '../../db/database.ts';
import { contactsPage, optOutOf, phoneContactsNamed, searchContacts, setOptedOut, type OptOutReason } from '../../db/tables/contacts.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { formatForPeople, readAddress, type CountryCode } from '../../lib/phone.ts';
import { isStorable } from '../../lib/text.ts';

export { contactStates, optOutOf, unknownContact, type ContactState, type OptOutReason } from '../../db/tables/contacts.ts';

/**
 * Opts a number out (with why) or back in. Keyed like every contact, in any case, so a number's
 * consent and its name live on one row.
 */
export async function markOptedOut(sql: Pick<Sql, 'query'>, address: string, optedOut: boolean, reason: OptOutReason | null = null): Promise<void> {
  await setOptedOut(sql, address, optedOut, reason);
}

export async function isOptedOut(sql: Pick<Sql, 'query'>, address: string): Promise<boolean> {
  return (await optOutOf(sql, address)) !== undefined;
}

export type NamedContact = { kind: 'none' } | { kind: 'one'; address: string; name: string } | { kind: 'several'; addresses: string[] };

/**
 * Whom a name typed as a recipient means: a contact with a phone number and that name (in any
 * case) is texted at that number, so naming a customer never starts a second, stored-only thread
 * beside theirs. One person with several numbers: the one of their latest conversation. Several
 * people of that name: the sender must say which number.
 */
export async function contactNamed(sql: Pick<Sql, 'query'>, name: string): Promise<NamedContact> {
  const found = await phoneContactsNamed(sql, name);
  if (found.length === 0) return { kind: 'none' };
  if (new Set(found.map((c) => c.person)).size === 1) return { kind: 'one', address: found[0]!.address, name: found[0]!.name };
  return { kind: 'several', addresses: found.map((c) => c.address) };
}

/** What `sendMessage` and `recipient` say when a name belongs to several contacts with numbers. */
function ambiguousName(name: string, addresses: string[]): UserErrorShape {
  const numbers = addresses.map(formatForPeople).join(', ');
  return userError('to', 'AMBIGUOUS_RECIPIENT', `Several contacts are named “${name.trim()}” (${numbers}): type the number to text.`);
}

/**
 * A new message's recipient as typed, with a contact's name read as their number (contactNamed):
 * the number, the text as typed when it is no contact's name, or the AMBIGUOUS_RECIPIENT refusal.
 * One reading for `sendMessage` and for the composer's `recipient` query.
 */
export async function recipientByName(sql: Pick<Sql, 'query'>, typed: string, defaultCountry: CountryCode | undefined): Promise<{ to: string } | { error: UserErrorShape }> {
  const read = isStorable(typed) ? readAddress(typed, defaultCountry) : undefined;
  if (read?.kind !== 'name' || !read.name) return { to: typed };
  const named = await contactNamed(sql, read.name);
  if (named.kind === 'several') return { error: ambiguousName(read.name, named.addresses) };
  return { to: named.kind === 'one' ? named.address : typed };
}

export { contactsPage, searchContacts };
