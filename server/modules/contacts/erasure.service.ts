import type { Database } from '../../db/database.ts';
import { eraseAddress, erasureCounts, type ErasureCounts } from '../../db/tables/erasure.ts';
import { addressesOfPeople, forgetMergesOf } from '../../db/tables/people.ts';
import type { Sql } from '../../db/database.ts';
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

/** Every address of the person `address` is one of: erasing a person forgets all of them. */
async function addressesOf(sql: Pick<Sql, 'query'>, address: string): Promise<string[]> {
  const [person] = await addressesOfPeople(sql, [address]);
  return person!.map((c) => c.address);
}

const sum = (all: ErasureCounts[]): ErasureCounts => ({
  conversations: all.reduce((n, c) => n + c.conversations, 0),
  messages: all.reduce((n, c) => n + c.messages, 0),
  notes: all.reduce((n, c) => n + c.notes, 0),
});

/** What erasing a contact (every address of the person) would delete, for the confirmation that names it. */
export async function erasurePreview(db: Database, typed: string, defaultCountry: CountryCode | undefined): Promise<{ address: string; counts: ErasureCounts } | UserErrorShape> {
  const address = addressOf(typed, defaultCountry);
  if (typeof address !== 'string') return address;
  const counts = await Promise.all((await addressesOf(db, address)).map((a) => erasureCounts(db, a)));
  return { address, counts: sum(counts) };
}

/**
 * Erases a contact, every address of the person: everything held about them, at their request (server/db/tables/erasure.ts says
 * what goes). The audit log records who erased how much, and not whom: an entry naming the person
 * would keep what was to be forgotten.
 */
export async function eraseContact(db: Database, by: Principal, typed: string, defaultCountry: CountryCode | undefined): Promise<ErasureCounts | UserErrorShape> {
  const address = addressOf(typed, defaultCountry);
  if (typeof address !== 'string') return address;
  return db.transaction(async (tx) => {
    const each: ErasureCounts[] = [];
    for (const a of await addressesOf(tx, address)) {
      each.push(await eraseAddress(tx, a));
      await forgetMergesOf(tx, a);
    }
    const counts = sum(each);
    const what = `${counts.conversations} conversation(s), ${counts.messages} message(s), ${counts.notes} note(s)`;
    await recordAudit(tx, 'CONTACT_ERASED', { actor: actorOf(by), target: { kind: 'contact', name: what } });
    return counts;
  });
}
