import type { Sql } from '../../db/database.ts';

export type OptOutReason = 'STOP_REPLY' | 'PROVIDER_ERROR' | 'TEST_NUMBER';

/** Someone this inbox talks to: the name operators gave them, and whether they may be texted. */
export interface ContactState {
  address: string;
  name: string | null;
  notes: string | null;
  optedOut: boolean;
  optedOutAt: Date | null;
  optOutReason: OptOutReason | null;
}

interface ContactRow {
  address: string;
  name: string | null;
  notes: string | null;
  opted_out: boolean;
  opted_out_at: Date | string | null;
  opt_out_reason: OptOutReason | null;
}

/** A contact nobody has named and who never opted out. */
export const unknownContact = (address: string): ContactState => ({ address, name: null, notes: null, optedOut: false, optedOutAt: null, optOutReason: null });

function fromRow(address: string, row: ContactRow | undefined): ContactState {
  if (!row) return unknownContact(address);
  return {
    address,
    name: row.name,
    notes: row.notes,
    optedOut: row.opted_out,
    optedOutAt: row.opted_out_at == null ? null : new Date(row.opted_out_at),
    optOutReason: row.opted_out ? row.opt_out_reason : null,
  };
}

/**
 * Opts a number out (with why) or back in. Keyed like every contact, in any case, so a number's
 * consent and its name live on one row.
 */
export async function markOptedOut(sql: Pick<Sql, 'query'>, address: string, optedOut: boolean, reason: OptOutReason | null = null): Promise<void> {
  await sql.query(
    `INSERT INTO "contacts" ("address", "opted_out", "opted_out_at", "opt_out_reason", "updated_at")
     VALUES ($1, $2, CASE WHEN $2 THEN now() END, CASE WHEN $2 THEN $3::"OptOutReason" END, now())
     ON CONFLICT (lower("address")) DO UPDATE SET "opted_out" = $2,
       "opted_out_at" = CASE WHEN $2 THEN now() END,
       "opt_out_reason" = CASE WHEN $2 THEN $3::"OptOutReason" END, "updated_at" = now()`,
    [address, optedOut, reason],
  );
}

/** Whether a number may not be texted, and why; undefined when it may. */
export async function optOutOf(sql: Pick<Sql, 'query'>, address: string): Promise<{ reason: OptOutReason | null } | undefined> {
  const rows = await sql.query<{ opted_out: boolean; opt_out_reason: OptOutReason | null }>(
    'SELECT "opted_out", "opt_out_reason" FROM "contacts" WHERE lower("address") = lower($1)',
    [address],
  );
  return rows[0]?.opted_out ? { reason: rows[0].opt_out_reason } : undefined;
}

export async function isOptedOut(sql: Pick<Sql, 'query'>, address: string): Promise<boolean> {
  return (await optOutOf(sql, address)) !== undefined;
}

/**
 * Every address's contact, in the order given, in one query; an address never seen is a contact
 * nobody has named. Names match in any case: "alice" is Alice's contact.
 */
export async function contactStates(sql: Pick<Sql, 'query'>, addresses: readonly string[]): Promise<ContactState[]> {
  if (addresses.length === 0) return [];
  const rows = await sql.query<ContactRow>(
    `SELECT "address", "name", "notes", "opted_out", "opted_out_at", "opt_out_reason" FROM "contacts"
      WHERE lower("address") = ANY(ARRAY(SELECT lower(a) FROM unnest($1::text[]) a))`,
    [[...new Set(addresses)]],
  );
  const byKey = new Map(rows.map((r) => [r.address.toLowerCase(), r]));
  return addresses.map((address) => fromRow(address, byKey.get(address.toLowerCase())));
}
