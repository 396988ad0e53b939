import type { Sql } from '../database.ts';
import { optionalTime, tableColumns } from './columns.ts';

type Query = Pick<Sql, 'query'>;

const CONTACT = `"address", "name", "notes", "opted_out", "opted_out_at", "opt_out_reason", "person_id"`;

export type OptOutReason = 'STOP_REPLY' | 'PROVIDER_ERROR' | 'TEST_NUMBER';

export const contactColumns = tableColumns(
  'contacts',
  ['address', 'opted_out', 'opted_out_at', 'opt_out_reason', 'name', 'notes', 'updated_at', 'person_id'] as const,
  // A contact is made by whichever comes first: a name, or a word about consent; the other stays
  // unset. An address is a person of its own until merged with another (person_id).
  ['opted_out', 'opted_out_at', 'opt_out_reason', 'name', 'notes', 'updated_at', 'person_id'] as const,
);

/**
 * The first message from a WhatsApp address makes its contact: the same person as the contact of
 * its number when there is one (sharing their person and their name), else named by the profile
 * name WhatsApp gave, if any. An address that already has a contact is left as it is.
 */
export async function linkChannelAddress(sql: Query, address: string, number: string, profileName: string | undefined): Promise<void> {
  await sql.query(
    `WITH phone AS (
       SELECT "address", "name", COALESCE("person_id", gen_random_uuid()) AS person FROM "contacts"
        WHERE "address" = $2 AND NOT EXISTS (SELECT 1 FROM "contacts" WHERE "address" = $1)
     ), linked AS (
       UPDATE "contacts" c SET "person_id" = phone.person FROM phone WHERE c."address" = phone."address" AND c."person_id" IS NULL
     )
     INSERT INTO "contacts" ("address", "name", "person_id")
     SELECT $1, COALESCE((SELECT "name" FROM phone), $3), (SELECT person FROM phone)
      WHERE EXISTS (SELECT 1 FROM phone) OR $3::text IS NOT NULL
     ON CONFLICT ("address") DO NOTHING`,
    [address, number, profileName ?? null],
  );
}

/** Someone this inbox talks to: the name operators gave them, and whether they may be texted. */
export interface ContactState {
  address: string;
  name: string | null;
  notes: string | null;
  optedOut: boolean;
  optedOutAt: Date | null;
  optOutReason: OptOutReason | null;
  /** Shared by the addresses of one person (a mobile and an office number); null: a person of its own. */
  personId: string | null;
}

interface ContactRow {
  address: string;
  name: string | null;
  notes: string | null;
  opted_out: boolean;
  opted_out_at: Date | string | null;
  opt_out_reason: OptOutReason | null;
  person_id: string | null;
}

/** A contact nobody has named and who never opted out. */
export const unknownContact = (address: string): ContactState => ({ address, name: null, notes: null, optedOut: false, optedOutAt: null, optOutReason: null, personId: null });

function contactFromRow(address: string, row: ContactRow | undefined): ContactState {
  if (!row) return unknownContact(address);
  return {
    address,
    name: row.name,
    notes: row.notes,
    optedOut: row.opted_out,
    optedOutAt: optionalTime(row.opted_out_at),
    optOutReason: row.opted_out ? row.opt_out_reason : null,
    personId: row.person_id,
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
    `SELECT ${CONTACT} FROM "contacts"
      WHERE lower("address") = ANY(ARRAY(SELECT lower(a) FROM unnest($1::text[]) a))`,
    [[...new Set(addresses)]],
  );
  const byKey = new Map(rows.map((r) => [r.address.toLowerCase(), r]));
  return addresses.map((address) => contactFromRow(address, byKey.get(address.toLowerCase())));
}

/**
 * Sets a contact's name and notes, on every address of the person; `undefined` keeps what is
 * there, null clears it. The addresses written.
 */
export async function saveContact(tx: Query, c: { address: string; name?: string | null; notes?: string | null }): Promise<string[]> {
  const [row] = await tx.query<{ person_id: string | null }>(
    `INSERT INTO "contacts" ("address", "name", "notes", "updated_at") VALUES ($1, $2, $3, now())
     ON CONFLICT (lower("address")) DO UPDATE SET
       "name" = CASE WHEN $4 THEN EXCLUDED."name" ELSE "contacts"."name" END,
       "notes" = CASE WHEN $5 THEN EXCLUDED."notes" ELSE "contacts"."notes" END,
       "updated_at" = now()
     RETURNING "person_id"`,
    [c.address, c.name ?? null, c.notes ?? null, c.name !== undefined, c.notes !== undefined],
  );
  if (!row?.person_id) return [c.address];
  const others = await tx.query<{ address: string }>(
    `UPDATE "contacts" SET
       "name" = CASE WHEN $2 THEN $3 ELSE "name" END, "notes" = CASE WHEN $4 THEN $5 ELSE "notes" END, "updated_at" = now()
      WHERE "person_id" = $1 AND lower("address") <> lower($6) RETURNING "address"`,
    [row.person_id, c.name !== undefined, c.name ?? null, c.notes !== undefined, c.notes ?? null, c.address],
  );
  return [c.address, ...others.map((o) => o.address)];
}

/**
 * The contacts with a phone number whose name is `name`, in any case: each with its person (its
 * own address when it is a person of its own), the number of the person's latest conversation first.
 */
export async function phoneContactsNamed(sql: Query, name: string): Promise<{ address: string; name: string; person: string }[]> {
  return sql.query<{ address: string; name: string; person: string }>(
    `SELECT k."address", k."name", COALESCE(k."person_id"::text, lower(k."address")) AS person FROM "contacts" k
      WHERE lower(k."name") = lower($1) AND k."address" ~ '^\\+[1-9][0-9]{6,14}$'
      ORDER BY GREATEST(
        (SELECT max(c."last_message_at") FROM "conversations" c WHERE lower(c."participant_a") = lower(k."address")),
        (SELECT max(c."last_message_at") FROM "conversations" c WHERE lower(c."participant_b") = lower(k."address"))) DESC NULLS LAST, k."address"`,
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
    `SELECT ${CONTACT} FROM "contacts"
      WHERE strpos(lower("name"), $1) > 0 OR ($2 <> '' AND strpos("address", $2) > 0)
      ORDER BY ("name" IS NULL), lower("name"), "address" LIMIT $3`,
    [text, digits, limit],
  );
  return rows.map((r) => contactFromRow(r.address, r));
}

const SORT_KEY = `lower(COALESCE("name", "address"))`;
const MATCHES = `($1 = '' OR strpos(lower(COALESCE("name", '')), $1) > 0 OR ($2 <> '' AND strpos("address", $2) > 0))`;
/**
 * Everyone the inbox talks to: every contact row, and the other side of each conversation nobody
 * has named yet (a contact row is only made once someone is named or opts out). Where neither side
 * of a conversation is ours (imported data), both are people.
 */
const PEOPLE = `(
  SELECT ${CONTACT} FROM "contacts"
  UNION ALL
  SELECT DISTINCT ON (lower(p)) p, NULL, NULL, false, NULL::timestamptz, NULL::"OptOutReason", NULL::uuid
    FROM "conversations" c, LATERAL (VALUES (c."participant_a"), (c."participant_b")) AS v(p)
   WHERE p IS DISTINCT FROM c."ours" AND NOT EXISTS (SELECT 1 FROM "contacts" k WHERE lower(k."address") = lower(p))
) people`;

/**
 * A page of everyone the inbox talks to, one row a person, by name (a number without one, by the number), those
 * holding `search` in their name or number only: after `after` (the sort key and address of the
 * last one seen).
 */
export async function contactsPage(
  sql: Query,
  search: string,
  limit: number,
  after?: { key: string; address: string },
): Promise<{ contacts: ContactState[]; keys: { key: string; address: string }[]; more: boolean }> {
  const text = search.trim().toLowerCase();
  // One row a person: of a person's addresses that match, the first.
  const rows = await sql.query<ContactRow & { sort_key: string }>(
    `SELECT * FROM (
       SELECT DISTINCT ON (COALESCE("person_id"::text, lower("address"))) ${CONTACT}, ${SORT_KEY} AS sort_key FROM ${PEOPLE}
        WHERE ${MATCHES} ORDER BY COALESCE("person_id"::text, lower("address")), "address"
     ) persons
      WHERE ($3::text IS NULL OR (sort_key, "address") > ($3, $4))
      ORDER BY sort_key, "address" LIMIT $5`,
    [text, text.replace(/\D/g, ''), after?.key ?? null, after?.address ?? '', limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    contacts: page.map((r) => contactFromRow(r.address, r)),
    keys: page.map((r) => ({ key: r.sort_key, address: r.address })),
    more: rows.length > limit,
  };
}

/** Everyone the inbox talks to, by name: what an export writes. */
export async function everyContact(sql: Query): Promise<ContactState[]> {
  const rows = await sql.query<ContactRow>(`SELECT ${CONTACT} FROM ${PEOPLE} ORDER BY ${SORT_KEY}, "address"`);
  return rows.map((r) => contactFromRow(r.address, r));
}

/**
 * Writes many contacts' names and notes at once (an import), keyed like every contact (in any
 * case). A row that says what is already there changes nothing. How many were new, changed and
 * already so; the addresses that changed.
 */
export async function saveContacts(
  tx: Query,
  rows: { address: string; name: string | null; notes: string | null }[],
): Promise<{ created: number; updated: number; changed: string[] }> {
  if (rows.length === 0) return { created: 0, updated: 0, changed: [] };
  const written = await tx.query<{ address: string; created: boolean }>(
    `INSERT INTO "contacts" ("address", "name", "notes", "updated_at")
     SELECT a, n, o, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS r(a, n, o)
      -- A number with nothing to say about it makes no row (one is made when there is).
      WHERE n IS NOT NULL OR o IS NOT NULL OR EXISTS (SELECT 1 FROM "contacts" k WHERE lower(k."address") = lower(a))
     ON CONFLICT (lower("address")) DO UPDATE SET "name" = EXCLUDED."name", "notes" = EXCLUDED."notes", "updated_at" = now()
       WHERE ("contacts"."name", "contacts"."notes") IS DISTINCT FROM (EXCLUDED."name", EXCLUDED."notes")
     RETURNING "address", (xmax = 0) AS created`,
    [rows.map((r) => r.address), rows.map((r) => r.name), rows.map((r) => r.notes)],
  );
  const created = written.filter((r) => r.created).length;
  // A person's other addresses take what their row was given (one name for one person).
  const siblings = await tx.query<{ address: string }>(
    `UPDATE "contacts" o SET "name" = k."name", "notes" = k."notes", "updated_at" = now()
       FROM "contacts" k
      WHERE k."person_id" = o."person_id" AND lower(k."address") <> lower(o."address")
        AND lower(k."address") = ANY(ARRAY(SELECT lower(a) FROM unnest($1::text[]) a))
        AND (o."name", o."notes") IS DISTINCT FROM (k."name", k."notes")
     RETURNING o."address"`,
    [written.map((r) => r.address)],
  );
  return { created, updated: written.length - created, changed: [...written.map((r) => r.address), ...siblings.map((r) => r.address)] };
}
