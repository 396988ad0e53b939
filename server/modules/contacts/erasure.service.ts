import type { Database } from '../../db/database.ts';
import { eraseAddress, erasureCounts, type ErasureCounts } from '../../db/tables/erasure.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { describeAddress, type CountryCode } from '../../lib/phone.ts';
import { isStorable } from '../../lib/text.ts';
import type { Principal } from '../access/principal.ts';
import { actorOf, recordAudit } from '../audit/audit.service.ts';

export type { ErasureCounts };

/** The address a contact is stored under, read as a recipient is ("(555) 123-4567" in the default country). */
function addressOf(typed: string, defaultCountry: CountryCode | undefined): string | UserErrorShape {
  const read = isStorable(typed) ? describeAddress(typed, defaultCountry) : undefined;
  if (!read || read.kind === 'INVALID' || !read.address) return userError('address', 'INVALID_ADDRESS', 'Give the contact’s phone number or the name a conversation has.');
  return read.address;
}

/** What erasing a contact would delete, for the confirmation that names it. */
export async function erasurePreview(db: Database, typed: string, defaultCountry: CountryCode | undefined): Promise<{ address: string; counts: ErasureCounts } | UserErrorShape> {
  const address = addressOf(typed, defaultCountry);
  return typeof address === 'string' ? { address, counts: await erasureCounts(db, address) } : address;
}

/**
 * Erases a contact: everything held about them, at their request (server/db/tables/erasure.ts says
 * what goes). The audit log records who erased how much, and not whom: an entry naming the person
 * would keep what was to be forgotten.
 */
export async function eraseContact(db: Database, by: Principal, typed: string, defaultCountry: CountryCode | undefined): Promise<ErasureCounts | UserErrorShape> {
  const address = addressOf(typed, defaultCountry);
  if (typeof address !== 'string') return address;
  return db.transaction(async (tx) => {
    const counts = await eraseAddress(tx, address);
    const what = `${counts.conversations} conversation(s), ${counts.messages} message(s), ${counts.notes} note(s)`;
    await recordAudit(tx, 'CONTACT_ERASED', { actor: actorOf(by), target: { kind: 'contact', name: what } });
    return counts;
  });
}
