import type { Sql } from '../../db/database.ts';
import { addressesOfPeople } from '../../db/tables/people.ts';
import { loadBatched } from './batch.ts';
import { contactStates, type ContactState } from './contacts.service.ts';

/** One address's contact, read together with every other contact the same operation asks for. */
export function loadContact(ctx: { db: Pick<Sql, 'query'> }, address: string): Promise<ContactState> {
  return loadBatched(ctx, 'contact', address, (addresses: string[]) => contactStates(ctx.db, addresses));
}

/** Every address of the person `address` belongs to (itself first), batched like loadContact. */
export function loadPersonAddresses(ctx: { db: Pick<Sql, 'query'> }, address: string): Promise<ContactState[]> {
  return loadBatched(ctx, 'person', address, (addresses: string[]) => addressesOfPeople(ctx.db, addresses));
}
