import type { Sql } from '../../db/database.ts';
import { optOutOf, setOptedOut, type OptOutReason } from '../../db/tables/contacts.ts';

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
