import type { Sql } from '../../db/database.ts';

// Twilio's default opt-out and opt-in keywords: the whole body, trimmed, in any case.
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

/** What an inbound body says about consent: true = opts out, false = opts back in, undefined = neither. */
export function optOutIntent(body: string, twilioOptOutType?: string): boolean | undefined {
  // With Twilio's Advanced Opt-Out, Twilio tells us what it understood (its keywords may be custom).
  const type = twilioOptOutType?.toUpperCase();
  if (type === 'STOP') return true;
  if (type === 'START') return false;
  const word = body.trim().toUpperCase();
  if (OPT_OUT.has(word)) return true;
  if (OPT_IN.has(word)) return false;
  return undefined;
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
