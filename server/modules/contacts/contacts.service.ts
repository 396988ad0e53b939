import type { Sql } from '../../db/database.ts';

/** A participant reachable by SMS and whether they may be texted. */
export interface ContactState {
  address: string;
  optedOut: boolean;
}

export async function markOptedOut(sql: Pick<Sql, 'query'>, address: string, optedOut: boolean): Promise<void> {
  await sql.query(
    `INSERT INTO "contacts" ("address", "opted_out", "opted_out_at", "updated_at")
     VALUES ($1, $2, CASE WHEN $2 THEN now() END, now())
     ON CONFLICT ("address") DO UPDATE SET "opted_out" = $2,
       "opted_out_at" = CASE WHEN $2 THEN now() END, "updated_at" = now()`,
    [address, optedOut],
  );
}

export async function isOptedOut(sql: Pick<Sql, 'query'>, address: string): Promise<boolean> {
  const rows = await sql.query<{ opted_out: boolean }>('SELECT "opted_out" FROM "contacts" WHERE "address" = $1', [address]);
  return rows[0]?.opted_out ?? false;
}

/** The consent state of each address, in the order given; an address never seen has not opted out. */
export async function contactStates(sql: Pick<Sql, 'query'>, addresses: string[]): Promise<ContactState[]> {
  if (addresses.length === 0) return [];
  const rows = await sql.query<{ address: string; opted_out: boolean }>(
    'SELECT "address", "opted_out" FROM "contacts" WHERE "address" = ANY($1::text[])',
    [addresses],
  );
  return addresses.map((address) => ({ address, optedOut: rows.find((r) => r.address === address)?.opted_out ?? false }));
}
