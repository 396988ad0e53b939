import type { Sql } from '../database.ts';
import { optionalTime, tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

export type OptOutReason = 'STOP_REPLY' | 'PROVIDER_ERROR' | 'TEST_NUMBER';

export const contactColumns = tableColumns(
  'contacts',
  ['address', 'opted_out', 'opted_out_at', 'opt_out_reason', 'name', 'notes', 'updated_at'] as const,
  // A contact is made by whichever comes first: a name, or a word about consent; the other stays unset.
  ['opted_out', 'opted_out_at', 'opt_out_reason', 'name', 'notes', 'updated_at'] as const,
);

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

function contactFromRow(address: string, row: ContactRow | undefined): ContactState {
  if (!row) return unknownContact(address);
  return {
    address,
    name: row.name,
    notes: row.notes,
    optedOut: row.opted_out,
    optedOutAt: optionalTime(row.opted_out_at),
    optOutReason: row.opted_out ? row.opt_out_reason : null,
  };
}

/** Opts an address out (with why) or back in; keyed in any case, so consent and name live on one row. */
export async function setOptedOut(sql: Query, address: string, optedOut: boolean, reason: OptOutReason | null): Promise<void> {
  await sql.query(
    `INSERT INTO "contacts" ("address", "opted_out", "opted_out_at", "opt_out_reason", "updated_at")
     VALUES ($1, $2, CASE WHEN $2 THEN now() END, CASE WHEN $2 THEN $3::"OptOutReason" END, now())
     ON CONFLICT (lower("address")) DO UPDATE SET "opted_out" = $2,
       "opted_out_at" = CASE WHEN $2 THEN now() END,
       "opt_out_reason" = CASE WHEN $2 THEN $3::"OptOutReason" END, "updated_at" = now()`,
    [address, optedOut, reason],
  );
}

/** Whether an address may not be texted, and why; undefined when it may. */
export async function optOutOf(sql: Query, address: string): Promise<{ reason: OptOutReason | null } | undefined> {
  const rows = await sql.query<{ opted_out: boolean; opt_out_reason: OptOutReason | null }>(
    'SELECT "opted_out", "opt_out_reason" FROM "contacts" WHERE lower("address") = lower($1)',
    [address],
  );
  return rows[0]?.opted_out ? { reason: rows[0].opt_out_reason } : undefined;
}

/** Every address's contact, in the order given, in one query; names match in any case. */
export async function contactStates(sql: Query, addresses: readonly string[]): Promise<ContactState[]> {
  if (addresses.length === 0) return [];
  const rows = await sql.query<ContactRow>(
    `SELECT "address", "name", "notes", "opted_out", "opted_out_at", "opt_out_reason" FROM "contacts"
      WHERE lower("address") = ANY(ARRAY(SELECT lower(a) FROM unnest($1::text[]) a))`,
    [[...new Set(addresses)]],
  );
  const byKey = new Map(rows.map((r) => [r.address.toLowerCase(), r]));
  return addresses.map((address) => contactFromRow(address, byKey.get(address.toLowerCase())));
}

/** Sets a contact's name and notes; `undefined` keeps what is there, null clears it. */
export async function saveContact(tx: Query, c: { address: string; name?: string | null; notes?: string | null }): Promise<void> {
  await tx.query(
    `INSERT INTO "contacts" ("address", "name", "notes", "updated_at") VALUES ($1, $2, $3, now())
     ON CONFLICT (lower("address")) DO UPDATE SET
       "name" = CASE WHEN $4 THEN EXCLUDED."name" ELSE "contacts"."name" END,
       "notes" = CASE WHEN $5 THEN EXCLUDED."notes" ELSE "contacts"."notes" END,
       "updated_at" = now()`,
    [c.address, c.name ?? null, c.notes ?? null, c.name !== undefined, c.notes !== undefined],
  );
}

/** The contacts with a phone number whose name is `name`, in any case, by number. */
export async function phoneContactsNamed(sql: Query, name: string): Promise<{ address: string; name: string }[]> {
  return sql.query<{ address: string; name: string }>(
    `SELECT "address", "name" FROM "contacts" WHERE lower("name") = lower($1) AND "address" ~ '^\\+[1-9][0-9]{6,14}$' ORDER BY "address"`,
    [name.trim()],
  );
}

/**
 * Contacts whose name or number contains what was typed (digits match numbers in any format),
 * named ones first, at most `limit`: the To field's suggestions.
 */
export async function searchContacts(sql: Query, typed: string, limit: number): Promise<ContactState[]> {
  const text = typed.trim().toLowerCase();
  const digits = text.replace(/\D/g, '');
  if (!text) return [];
  const rows = await sql.query<ContactRow>(
    `SELECT "address", "name", "notes", "opted_out", "opted_out_at", "opt_out_reason" FROM "contacts"
      WHERE strpos(lower("name"), $1) > 0 OR ($2 <> '' AND strpos("address", $2) > 0)
      ORDER BY ("name" IS NULL), lower("name"), "address" LIMIT $3`,
    [text, digits, limit],
  );
  return rows.map((r) => contactFromRow(r.address, r));
}
