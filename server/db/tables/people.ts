import type { Sql } from '../database.ts';
import { tableColumns } from './columns.ts';
import { contactStates, type ContactState } from './contacts.ts';

type Query = Pick<Sql, 'query'>;

/** A contact row as a merge found it, to put back on undo. `existed` false: the merge made the row. */
export interface ContactBefore {
  key: string;
  address: string;
  personId: string | null;
  name: string | null;
  notes: string | null;
  existed: boolean;
}

/** The key rows of one person share: their person id, or the address itself for a person of its own. */
const PERSON = `COALESCE("person_id"::text, lower("address"))`;

/**
 * Merges and their undos, one at a time across the deployment: each reads two people's rows and
 * rewrites them, and two at once over the same person would each see the other's half done. They
 * are rare (a person's click), so one lock costs nothing; other writers are not held.
 */
export async function lockPeople(tx: Query): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('hatch-contact-merge', 0))`);
}

/** Makes a contact row for each address that has none; the addresses it made. */
export async function ensureContacts(tx: Query, addresses: string[]): Promise<string[]> {
  const made = await tx.query<{ address: string }>(
    `INSERT INTO "contacts" ("address", "updated_at") SELECT a, now() FROM unnest($1::text[]) a ON CONFLICT (lower("address")) DO NOTHING RETURNING "address"`,
    [addresses],
  );
  return made.map((m) => m.address);
}

/** Every row of the person `address` belongs to (the address's own first), locked for the caller's transaction. */
export async function personRows(tx: Query, address: string): Promise<(ContactBefore & { updatedAt: Date })[]> {
  const rows = await tx.query<{ address: string; person_id: string | null; name: string | null; notes: string | null; updated_at: Date }>(
    `SELECT "address", "person_id", "name", "notes", "updated_at" FROM "contacts"
      WHERE ${PERSON} = (SELECT ${PERSON} FROM "contacts" WHERE lower("address") = lower($1))
      ORDER BY lower("address") = lower($1) DESC, "address" FOR UPDATE`,
    [address],
  );
  return rows.map((r) => ({ key: r.address.toLowerCase(), address: r.address, personId: r.person_id, name: r.name, notes: r.notes, existed: true, updatedAt: new Date(r.updated_at) }));
}

/** Makes `addresses` one person with one name and notes. */
export async function joinPerson(tx: Query, addresses: string[], personId: string, name: string | null, notes: string | null): Promise<void> {
  await tx.query(
    `UPDATE "contacts" SET "person_id" = $2, "name" = $3, "notes" = $4, "updated_at" = now()
      WHERE lower("address") = ANY(ARRAY(SELECT lower(a) FROM unnest($1::text[]) a))`,
    [addresses, personId, name, notes],
  );
}

/** Puts rows back as a merge found them: those it made go, unless they have since opted out. */
export async function restoreContacts(tx: Query, rows: ContactBefore[]): Promise<void> {
  for (const r of rows) {
    if (r.existed) {
      await tx.query(`UPDATE "contacts" SET "person_id" = $2, "name" = $3, "notes" = $4, "updated_at" = now() WHERE lower("address") = $1`, [r.key, r.personId, r.name, r.notes]);
    } else {
      await tx.query(`DELETE FROM "contacts" WHERE lower("address") = $1 AND NOT "opted_out"`, [r.key]);
      await tx.query(`UPDATE "contacts" SET "person_id" = NULL, "name" = NULL, "notes" = NULL, "updated_at" = now() WHERE lower("address") = $1`, [r.key]);
    }
  }
}

export const contactMergeColumns = tableColumns('contact_merges', ['id', 'actor_key', 'before', 'created_at'] as const, ['id', 'created_at'] as const);

/** How long a merge can be undone (within the session or token that made it). */
export const UNDO_FOR = '1 day';

export async function recordMerge(tx: Query, actorKey: string, before: ContactBefore[]): Promise<string> {
  // Merges past undoing go as new ones are made: they hold names and notes nobody needs any more.
  await tx.query(`DELETE FROM "contact_merges" WHERE "created_at" < now() - interval '${UNDO_FOR}'`);
  const [row] = await tx.query<{ id: string }>(`INSERT INTO "contact_merges" ("actor_key", "before") VALUES ($1, $2::jsonb) RETURNING "id"`, [actorKey, JSON.stringify(before)]);
  return row!.id;
}

/** A merge `actorKey` may still undo, removed from the table; undefined when there is none. */
export async function takeMerge(tx: Query, id: string, actorKey: string): Promise<{ before: ContactBefore[]; createdAt: Date } | undefined> {
  const [row] = await tx.query<{ before: ContactBefore[]; created_at: Date }>(
    `DELETE FROM "contact_merges" WHERE "id" = $1 AND "actor_key" = $2 AND "created_at" >= now() - interval '${UNDO_FOR}' RETURNING "before", "created_at"`,
    [id, actorKey],
  );
  return row && { before: typeof row.before === 'string' ? (JSON.parse(row.before) as ContactBefore[]) : row.before, createdAt: new Date(row.created_at) };
}

/** Whether any of these rows changed after `since` (renamed, opted out): an undo would lose that. */
export async function changedSince(tx: Query, keys: string[], since: Date): Promise<boolean> {
  const [row] = await tx.query<{ changed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "contacts" WHERE lower("address") = ANY($1::text[]) AND "updated_at" > $2) AS changed`,
    [keys, since],
  );
  return row!.changed;
}

/** Forgets the merges that hold `address` (erasure). */
export async function forgetMergesOf(tx: Query, address: string): Promise<void> {
  await tx.query(`DELETE FROM "contact_merges" WHERE "before" @> jsonb_build_array(jsonb_build_object('key', lower($1::text)))`, [address]);
}

/**
 * The addresses of each given address's person (the address itself when it is a person of its
 * own), as contacts, in one query: `Contact.addresses`.
 */
export async function addressesOfPeople(sql: Query, addresses: readonly string[]): Promise<ContactState[][]> {
  if (addresses.length === 0) return [];
  const rows = await sql.query<{ of: string; address: string }>(
    `SELECT lower(k."address") AS of, o."address" FROM "contacts" k JOIN "contacts" o ON o."person_id" = k."person_id"
      WHERE lower(k."address") = ANY(ARRAY(SELECT lower(a) FROM unnest($1::text[]) a)) ORDER BY o."address"`,
    [[...new Set(addresses)]],
  );
  const byKey = new Map<string, string[]>();
  for (const r of rows) byKey.set(r.of, [...(byKey.get(r.of) ?? []), r.address]);
  const lists = addresses.map((a) => {
    const others = (byKey.get(a.toLowerCase()) ?? []).filter((o) => o.toLowerCase() !== a.toLowerCase());
    return [a, ...others];
  });
  const states = await contactStates(sql, [...new Set(lists.flat())]);
  const byAddress = new Map(states.map((c) => [c.address.toLowerCase(), c]));
  return lists.map((list) => list.map((a) => byAddress.get(a.toLowerCase())!));
}
